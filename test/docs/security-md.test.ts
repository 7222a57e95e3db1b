import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);

/**
 * Every test SECURITY.md cites, as `path › name` (or the file alone), parsed from the threat tables' rows. A
 * cited name may be a parameterised title (`%s`, `$state`) with the case it means as `(case: …)`: each literal
 * piece must appear in the file, once quotes are normalised.
 */
async function citations(): Promise<{ file: string; name: string | null; row: string }[]> {
  const text = await readFile(new URL('SECURITY.md', ROOT), 'utf8');
  const out: { file: string; name: string | null; row: string }[] = [];
  for (const row of threatRows(text)) {
    const cells = row.split(' | ');
    const cell = (cells.at(-1) ?? '').replace(/ \|$/, '');
    if (!cell.includes('test/')) continue;
    // A cell lists `file › name; name` or `file; file › name`: a name without a file belongs to the last file.
    let file = '';
    for (const part of cell.split('; ')) {
      // `; › name` continues the file before it.
      const [head = '', ...names] = part.replace(/^› /, '').split(' › ');
      if (head.startsWith('test/')) file = head.trim();
      else names.unshift(head);
      if (names.length === 0) out.push({ file, name: null, row: cells[1] ?? row });
      for (const name of names) out.push({ file, name: name.trim(), row: cells[1] ?? row });
    }
  }
  return out;
}

/** The rows of the tables whose last column is `test` (not the header or its rule). */
function threatRows(text: string): string[] {
  const rows: string[] = [];
  let inThreatTable = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) {
      inThreatTable = false;
    } else if (line.startsWith('| actor')) {
      inThreatTable = line.trimEnd().endsWith('| test |');
    } else if (inThreatTable && !line.startsWith('|---')) {
      rows.push(line);
    }
  }
  return rows;
}

const plain = (s: string) => s.replaceAll(/[‘’]/g, "'").replaceAll('\\`', '`').replaceAll("\\'", "'");

describe('SECURITY.md: every row names tests that exist', () => {
  it('cites at least one test in every threat row', async () => {
    const rows = threatRows(await readFile(new URL('SECURITY.md', ROOT), 'utf8'));
    expect(rows.length).toBeGreaterThan(30);
    for (const row of rows) expect(row, row).toMatch(/test\/[\w/.-]+\.test\.ts/);
  });

  it('names only test files and titles that are in the repository', async () => {
    const cited = await citations();
    expect(cited.length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const { file, name } of cited) {
      const source = await readFile(new URL(file, ROOT), 'utf8').catch(() => null);
      if (source === null) {
        missing.push(`${file} (no such file)`);
        continue;
      }
      if (!name) continue;
      // A parameterised title: the literal pieces around `%s` / `$x` appear, and so does a `(case: …)` it names.
      const [, title = name, which] = /^(.*?)(?: \(case: (.*)\))?$/.exec(name) ?? [];
      const pieces = [...plain(title).split(/%[sdjio]|\$\w+/), ...(which ? [plain(which)] : [])]
        .map((p) => p.trim())
        .filter((p) => p.length > 0);
      const haystack = plain(source);
      const absent = pieces.find((piece) => !haystack.includes(piece));
      if (absent !== undefined) missing.push(`${file} › ${name} (no "${absent}")`);
    }
    expect(missing).toEqual([]);
  });
});
