import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
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
  const names = result.data.conversations.map((conversation) => conversation.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) {
    // Error messages and `remaining()` name conversations, so names must tell them apart.
    throw new Error(`replay script ${source} is invalid: conversation name "${duplicate}" is used twice`);
  }
  return result.data;
}

function describeFormat(source: string): string {
  return extname(source).toLowerCase() === '.json' ? 'JSON' : 'YAML';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
