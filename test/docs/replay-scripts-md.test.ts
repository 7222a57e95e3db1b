import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScriptText, parseScript } from '../../src/replay/load-script.ts';
import { startReplayServer } from '../../src/replay/replay-server.ts';
import { ReplayScriptSchema } from '../../src/replay/script-schema.ts';
import { toJsonSchema } from '../../src/state/json-schema.ts';
import { cliEnv, createDemoRepo, runIpo } from '../cli/cli-fixtures.ts';

const DOC = fileURLToPath(new URL('../../docs/replay-scripts.md', import.meta.url));

/** Every property name anywhere in a JSON Schema. */
function propertyNames(node: unknown, into = new Set<string>()): Set<string> {
  if (node && typeof node === 'object') {
    const properties = (node as { properties?: Record<string, unknown> }).properties;
    if (properties) for (const name of Object.keys(properties)) into.add(name);
    for (const value of Object.values(node)) propertyNames(value, into);
  }
  return into;
}

describe('docs/replay-scripts.md', () => {
  let doc: string;
  let dir: string;

  beforeAll(async () => {
    doc = await readFile(DOC, 'utf8');
    dir = await mkdtemp(join(tmpdir(), 'ipo-replay-doc-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names every field of the replay-script schema', () => {
    const fields = [...propertyNames(toJsonSchema(ReplayScriptSchema, 'input'))];
    expect(fields.length).toBeGreaterThan(20);
    // Named in code: a `code span` of the text (a fault's `{ status, retryAfterSeconds?, message? }` names three).
    const code = (doc.match(/`[^`\n]+`/g) ?? []).join(' ');
    expect(fields.filter((field) => !new RegExp(`\\b${field}\\b`).test(code))).toEqual([]);
  });

  it('has an example that is valid and runs an alignment phase on the demo repository to its end', async () => {
    const example = doc.match(/```yaml\n([\s\S]*?)```/)?.[1] ?? '';
    expect(checkScriptText(example, 'alignment.yaml')).toEqual([]);
    const repo = await createDemoRepo(join(dir, 'repo'));
    const replay = await startReplayServer({
      script: parseScript(example, 'alignment.yaml'),
      source: 'alignment.yaml',
    });
    try {
      const result = await runIpo(
        ['start', '1.3'],
        repo,
        cliEnv(dir, { ANTHROPIC_API_KEY: 'replay', ANTHROPIC_BASE_URL: replay.url }),
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Model responses are REPLAYED from alignment.yaml');
      expect(result.stdout).toContain('✓ alignment attempt 1 succeeded');
      expect(replay.remaining()).toEqual([]);
    } finally {
      await replay.close();
    }
  });
});
