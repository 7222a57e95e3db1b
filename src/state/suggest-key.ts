import type { z } from 'zod';
import { editDistance } from '../core/commands/edit-distance.ts';

/** Wrappers whose inner schema carries the object shape (`.optional()`, `.default()`, …). */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch']);

interface LooseDef {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
}

function defOf(schema: z.ZodType): LooseDef {
  return schema._zod.def as unknown as LooseDef;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let def = defOf(current); WRAPPERS.has(def.type) && def.innerType; def = defOf(current)) {
    current = def.innerType;
  }
  return current;
}

/** Object schemas reachable at `path` under `root` (several when the path runs through a union). */
function objectsAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  let current = [unwrap(root)];
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const schema of current) {
      const def = defOf(schema);
      const candidates =
        def.type === 'object'
          ? [def.shape?.[String(segment)]]
          : def.type === 'array'
            ? [def.element]
            : def.type === 'record'
              ? [def.valueType]
              : def.type === 'union'
                ? (def.options ?? []).flatMap((option) => objectsAt(option, [segment]))
                : [];
      for (const candidate of candidates) if (candidate) next.push(unwrap(candidate));
    }
    current = next;
  }
  return current.flatMap((schema) =>
    defOf(schema).type === 'union' ? (defOf(schema).options ?? []) : [schema],
  );
}

/** Whether every literal field of object schema `schema` (a union discriminator) has its value in `value`. */
function literalsMatch(schema: z.ZodType, value: unknown): boolean {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return Object.entries(defOf(schema).shape ?? {}).every(([key, field]) => {
    const def = defOf(field);
    return def.type !== 'literal' || (def.values ?? []).includes(record[key]);
  });
}

/**
 * The keys an object at `path` under `root` may have ([] when the path leads to no object). Given the object
 * `value` found there, union branches whose discriminator does not match it are left out.
 */
export function knownKeysAt(root: z.ZodType, path: readonly PropertyKey[], value?: unknown): string[] {
  const objects = objectsAt(root, path).map(unwrap);
  const matching = objects.filter((schema) => literalsMatch(schema, value));
  const chosen = value === undefined || matching.length === 0 ? objects : matching;
  return [...new Set(chosen.flatMap((schema) => Object.keys(defOf(schema).shape ?? {})))];
}

/** The candidate closest to `word` when it is close enough to be a likely typo, else undefined. */
export function suggestKey(word: string, candidates: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of candidates) {
    const distance = key.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, key);
    if (!best || distance < best.distance) best = { key, distance };
  }
  const tolerance = Math.max(1, Math.floor(word.length / 3));
  return best && best.distance <= tolerance ? best.key : undefined;
}
