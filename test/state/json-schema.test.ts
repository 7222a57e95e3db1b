import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { PHASES } from '../../src/core/phases.ts';
import { parseConfig } from '../../src/settings/parse-config.ts';
import { SUBMISSION_SCHEMAS } from '../../src/state/artifacts/index.ts';
import { renderSchemaFiles, SCHEMA_BASE_URI, toToolInputSchema } from '../../src/state/json-schema.ts';
import { syncSchemaFiles } from '../../src/state/schema-files.ts';
import {
  alignmentEnvelope,
  commitEnvelope,
  implementationEnvelope,
  ledger,
  verificationEnvelope,
} from './fixtures.ts';

const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

function newAjv(): Ajv2020 {
  // zod emits `format: date-time` next to an equivalent `pattern`; ajv-formats is not a dependency.
  return new Ajv2020({ strict: true, validateFormats: false });
}

async function loadSchema(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(SCHEMAS_DIR, name), 'utf8')) as Record<string, unknown>;
}

const SAMPLES: [string, unknown][] = [
  ['alignment.json', alignmentEnvelope()],
  ['implementation.json', implementationEnvelope()],
  ['verification.json', verificationEnvelope()],
  ['commit.json', commitEnvelope()],
  ['alignment-body.json', alignmentEnvelope().body],
  ['ledger.json', ledger()],
  ['config.json', {}],
  ['config.json', { phases: { alignment: { maxTurns: 3 } }, commit: { scope: 'auth' } }],
  ['commit-submission.json', { subject: 'add logout' }],
];

describe('generated JSON Schemas', () => {
  it('are up to date with the zod schemas (run `npm run schemas` when this fails)', async () => {
    expect(await syncSchemaFiles(SCHEMAS_DIR, { write: false })).toEqual({
      stale: [],
      missing: [],
      extra: [],
    });
  });

  it('each have an $id, a title and a description', () => {
    for (const [name, text] of renderSchemaFiles()) {
      const schema = JSON.parse(text) as Record<string, unknown>;
      expect(schema.$id).toBe(`${SCHEMA_BASE_URI}${name}`);
      expect(schema.title).toEqual(expect.any(String));
      expect(schema.description).toEqual(expect.any(String));
    }
  });

  it('each compile with ajv (draft 2020-12, strict)', () => {
    for (const [name, text] of renderSchemaFiles()) {
      expect(() => newAjv().compile(JSON.parse(text)), name).not.toThrow();
    }
  });

  it.each(SAMPLES)('%s accepts a valid sample', async (name, sample) => {
    const validate = newAjv().compile(await loadSchema(name));
    expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the combined schemas.json resolves each schema by its $id', async () => {
    const ajv = newAjv();
    ajv.addSchema(await loadSchema('schemas.json'));
    for (const [name, sample] of SAMPLES) {
      const validate = ajv.getSchema(`${SCHEMA_BASE_URI}${name}`);
      expect(validate, name).toBeDefined();
      expect(validate?.(sample), name).toBe(true);
    }
  });

  it.each([
    ['an unknown key', 'alignment.json', { ...alignmentEnvelope(), extra: 1 }],
    [
      'a bad AC id',
      'alignment-body.json',
      { ...alignmentEnvelope().body, acceptanceCriteria: [{ id: 'x', text: 't', verifyBy: 'test' }] },
    ],
    ['a wrong version', 'alignment.json', { ...alignmentEnvelope(), schema: 'ipo.alignment/v2' }],
    [
      'six questions',
      'alignment-submission.json',
      { ...alignmentEnvelope().body, specRef: undefined, questions: ['1', '2', '3', '4', '5', '6'] },
    ],
    ['an unknown config key', 'config.json', { aproovers: [] }],
  ])('rejects %s, as zod does', async (_label, name, sample) => {
    const validate = newAjv().compile(await loadSchema(name));
    expect(validate(JSON.parse(JSON.stringify(sample)))).toBe(false);
  });

  it('the config schema documents the defaults parseConfig applies', async () => {
    const schema = (await loadSchema('config.json')) as { properties: Record<string, { default?: unknown }> };
    const defaults = parseConfig('');
    expect(schema.properties.spec?.default).toBe(defaults.spec);
    expect(schema.properties.allowForks?.default).toBe(defaults.allowForks);
  });

  it('check mode reports stale, missing and extra files and writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ipo-schemas-'));
    try {
      await syncSchemaFiles(dir, { write: true });
      expect(await syncSchemaFiles(dir, { write: false })).toEqual({ stale: [], missing: [], extra: [] });
      await writeFile(join(dir, 'ledger.json'), '{}\n');
      await rm(join(dir, 'config.json'));
      await writeFile(join(dir, 'old.json'), '{}\n');
      const report = await syncSchemaFiles(dir, { write: false });
      expect(report).toEqual({ stale: ['ledger.json'], missing: ['config.json'], extra: ['old.json'] });
      expect(await readFile(join(dir, 'ledger.json'), 'utf8')).toBe('{}\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each(PHASES)('gives the %s submission as a self-contained tool input schema', (phase) => {
    const schema = toToolInputSchema(SUBMISSION_SCHEMAS[phase]);
    expect(schema.type).toBe('object');
    expect(schema.properties).toBeDefined();
    expect(JSON.stringify(schema)).not.toMatch(/"\$(ref|id|schema)"/);
    expect(newAjv().validateSchema(schema)).toBe(true);
  });
});
