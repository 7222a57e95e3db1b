import { z } from 'zod';
import { PHASES } from '../core/phases.ts';
import { ReplayScriptSchema } from '../replay/script-schema.ts';
import { ARTIFACT_SCHEMAS, SUBMISSION_SCHEMAS } from './artifacts/index.ts';
import { configSchema } from './config.ts';
import { ENVELOPE_SCHEMAS } from './envelope.ts';
import { ledgerSchema } from './ledger.ts';
import { metricsSchema } from './metrics.ts';

/** Base of every generated schema's `$id`. */
export const SCHEMA_BASE_URI = 'https://ipo.dev/schemas/';

export interface SchemaDocument {
  schema: z.ZodType;
  /** `input` where defaults matter: the file a person writes may omit every defaulted field. */
  io: 'input' | 'output';
}

/** Every schema published as `schemas/<id>.json`, where `<id>` is the schema's `.meta({ id })`. */
export const SCHEMA_DOCUMENTS: readonly SchemaDocument[] = [
  { schema: configSchema, io: 'input' },
  { schema: ledgerSchema, io: 'output' },
  { schema: metricsSchema, io: 'output' },
  { schema: ReplayScriptSchema, io: 'input' },
  ...PHASES.flatMap((phase): SchemaDocument[] => [
    { schema: ENVELOPE_SCHEMAS[phase], io: 'output' },
    { schema: ARTIFACT_SCHEMAS[phase], io: 'output' },
    { schema: SUBMISSION_SCHEMAS[phase], io: 'output' },
  ]),
];

type JsonObject = Record<string, unknown>;

function metaOf(schema: z.ZodType): { id: string; title: string; description: string } {
  const meta = z.globalRegistry.get(schema);
  const { id, title, description } = meta ?? {};
  if (typeof id !== 'string' || typeof title !== 'string' || typeof description !== 'string') {
    throw new Error(`a published schema lacks .meta({ id, title, description }): ${JSON.stringify(meta)}`);
  }
  return { id, title, description };
}

/**
 * The draft 2020-12 JSON Schema of `schema`, self-contained, with `$id`, title and description at the root. zod
 * emits a schema that has an id as `{ $ref: '#/$defs/<id>' }`; the root definition is inlined instead so editors
 * show its title and description.
 */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonObject {
  const { id, title, description } = metaOf(schema);
  const generated = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'throw',
  }) as JsonObject;
  const { $schema, $ref, $defs, ...rest } = generated;
  const defs = { ...($defs as Record<string, JsonObject> | undefined) };
  let root: JsonObject = rest;
  if ($ref === `#/$defs/${id}` && defs[id]) {
    root = defs[id];
    delete defs[id];
  }
  const { title: _t, description: _d, ...body } = root;
  return {
    $schema,
    $id: `${SCHEMA_BASE_URI}${id}.json`,
    title,
    description,
    ...body,
    ...(Object.keys(defs).length > 0 ? { $defs: defs } : {}),
  };
}

/** The file name a published schema is written to. */
export function schemaFileName(schema: z.ZodType): string {
  return `${metaOf(schema).id}.json`;
}

/** Every generated file (`<id>.json` plus the combined `schemas.json`) and its exact text. */
export function renderSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const combined: Record<string, JsonObject> = {};
  for (const { schema, io } of SCHEMA_DOCUMENTS) {
    const json = toJsonSchema(schema, io);
    files.set(schemaFileName(schema), `${JSON.stringify(json, null, 2)}\n`);
    // Embedded resources keep their $id (so $refs inside resolve locally) but not $schema, which belongs at the root.
    const { $schema: _s, ...embedded } = json;
    combined[metaOf(schema).id] = embedded;
  }
  const all = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE_URI}schemas.json`,
    title: 'isolated-phase-orchestrator schemas',
    description: 'Every ipo schema in one file, under $defs by id; each keeps its own $id.',
    $defs: combined,
  };
  files.set('schemas.json', `${JSON.stringify(all, null, 2)}\n`);
  return files;
}

/**
 * A submission schema as a model tool's `input_schema`: the root inlined (zod would answer `{ $ref }` for a schema
 * with an id), without `$schema`/`$id`, in the input form the model writes.
 */
export function toToolInputSchema(schema: z.ZodType): { type: 'object' } & JsonObject {
  // Any zod object can be a tool's input; only published schemas carry an id (and come back as a root `$ref`).
  const published = typeof z.globalRegistry.get(schema)?.id === 'string';
  const generated = published
    ? toJsonSchema(schema, 'input')
    : (z.toJSONSchema(schema, {
        target: 'draft-2020-12',
        io: 'input',
        unrepresentable: 'throw',
      }) as JsonObject);
  const { $schema: _s, $id: _i, ...rest } = generated;
  if (rest.type !== 'object')
    throw new Error(`a tool input schema must be an object, not ${String(rest.type)}`);
  return { ...rest, type: 'object' };
}
