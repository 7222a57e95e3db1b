import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderSchemaFiles } from './json-schema.ts';

export interface SchemaFilesReport {
  /** Files whose content differs from what the schemas generate. */
  stale: string[];
  /** Generated files that do not exist. */
  missing: string[];
  /** `.json` files in the directory that no schema generates. */
  extra: string[];
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Compares `dir` with the generated schema files; with `write`, brings it up to date first (and reports nothing). */
export async function syncSchemaFiles(dir: string, options: { write: boolean }): Promise<SchemaFilesReport> {
  const expected = renderSchemaFiles();
  const report: SchemaFilesReport = { stale: [], missing: [], extra: [] };
  await mkdir(dir, { recursive: true });
  for (const [name, text] of expected) {
    const actual = await readIfPresent(join(dir, name));
    if (actual === text) continue;
    if (options.write) await writeFile(join(dir, name), text);
    else (actual === undefined ? report.missing : report.stale).push(name);
  }
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json') && !expected.has(n)).sort()) {
    if (options.write) await rm(join(dir, name));
    else report.extra.push(name);
  }
  return report;
}
