import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { isMap, isNode, LineCounter, parseDocument, parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type ReplayScript, ReplayScriptSchema } from './script-schema.ts';

/** Reads a replay script from a `.json`, `.yaml` or `.yml` file and validates it. */
export async function loadScript(path: string): Promise<ReplayScript> {
  const text = await readFile(path, 'utf8');
  return parseScript(text, path);
}

/** Parses and validates script text; `source` names the file in error messages and picks JSON or YAML. */
export function parseScript(text: string, source: string): ReplayScript {
  let raw: unknown;
  try {
    raw = extname(source).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new Error(`replay script ${source}: not valid ${describeFormat(source)}: ${messageOf(error)}`);
  }
  return validateScript(raw, source);
}

/** Validates an already-parsed script object (e.g. one built in a test). */
export function validateScript(raw: unknown, source = 'script'): ReplayScript {
  const result = ReplayScriptSchema.safeParse(raw);
  if (!result.success) {
    throw new Error(`replay script ${source} is invalid:\n${z.prettifyError(result.error)}`);
  }
  const duplicate = duplicateName(result.data);
  if (duplicate !== undefined) {
    throw new Error(`replay script ${source} is invalid: ${duplicate.message}`);
  }
  return result.data;
}

/** One thing wrong with a script: the field (a path like `conversations[0].turns[1].response`) and its line. */
export interface ScriptProblem {
  /** 1-based line in the file, when the field (or the nearest enclosing one) is found there. */
  line?: number;
  /** Empty for a problem of the whole file (e.g. a syntax error). */
  field: string;
  message: string;
}

/**
 * Everything wrong with script text, each problem with its field and line (`ipo replay serve --check`); empty when
 * the script is valid. The same schema and rules as `parseScript`: JSON is located through the YAML parser, which
 * reads JSON too.
 */
export function checkScriptText(text: string, source: string): ScriptProblem[] {
  const json = extname(source).toLowerCase() === '.json';
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  let raw: unknown;
  try {
    raw = json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const line = doc.errors[0]?.linePos?.[0].line;
    return [
      {
        ...(line !== undefined ? { line } : {}),
        field: '',
        message: `not valid ${describeFormat(source)}: ${messageOf(error).split('\n')[0]}`,
      },
    ];
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    // A missing field has no node: the nearest enclosing one that exists is where to add it.
    for (let n = path.length; n >= 0; n -= 1) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const result = ReplayScriptSchema.safeParse(raw);
  const problems: { path: PropertyKey[]; message: string }[] = result.success
    ? []
    : result.error.issues.flatMap((issue) =>
        // An unknown key is reported at the key itself, so the line is the key's.
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({
              path: [...issue.path, key],
              message: `unknown field "${key}" (a typo? see docs/replay-scripts.md)`,
            }))
          : issue.code === 'invalid_type' && issue.message.endsWith('received undefined')
            ? [{ path: issue.path, message: `missing: a ${issue.expected} is required here` }]
            : [{ path: issue.path, message: issue.message }],
      );
  if (result.success) {
    const duplicate = duplicateName(result.data);
    if (duplicate !== undefined) problems.push(duplicate);
  }
  return problems.map(({ path, message }) => {
    const key = path.at(-1);
    // An unknown key's own node is its value; its key node sits in the parent map.
    const parent = doc.getIn(path.slice(0, -1) as unknown[], true);
    const pair = isMap(parent) ? parent.items.find((item) => String(item.key) === String(key)) : undefined;
    const keyNode = pair && isNode(pair.key) ? pair.key : undefined;
    const line = keyNode?.range ? lines.linePos(keyNode.range[0]).line : lineOf(path);
    return { ...(line !== undefined ? { line } : {}), field: z.core.toDotPath(path), message };
  });
}

/** Error messages and `remaining()` name conversations, so names must tell them apart. */
function duplicateName(script: ReplayScript): { path: PropertyKey[]; message: string } | undefined {
  const names = script.conversations.map((conversation) => conversation.name);
  const index = names.findIndex((name, i) => names.indexOf(name) !== i);
  if (index === -1) return undefined;
  return {
    path: ['conversations', index, 'name'],
    message: `conversation name "${names[index]}" is used twice`,
  };
}

function describeFormat(source: string): string {
  return extname(source).toLowerCase() === '.json' ? 'JSON' : 'YAML';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
