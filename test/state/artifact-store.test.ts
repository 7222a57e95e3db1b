import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactStore, listSessionIds, STATE_DIR, sessionDir } from '../../src/state/artifact-store.ts';
import { digest } from '../../src/state/digest.ts';
import { StateError } from '../../src/state/state-error.ts';
import {
  alignmentEnvelope,
  commitEnvelope,
  implementationEnvelope,
  ledger,
  SESSION,
  verificationEnvelope,
} from './fixtures.ts';

let root: string;
let store: ArtifactStore;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ipo-store-'));
  store = ArtifactStore.forSession(root, SESSION);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file under the session directory with its bytes, to prove a failed read changed nothing. */
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(store.dir)).sort()) {
    out[name] = (await readFile(join(store.dir, name))).toString('base64');
  }
  return out;
}

/** Writes `value` as alignment.json by hand and returns the digest a ledger would have recorded for it. */
async function plantAlignment(value: unknown): Promise<string> {
  await store.writeArtifact(alignmentEnvelope());
  await writeFile(store.path('alignment.json'), JSON.stringify(value, null, 2));
  return digest(value);
}

async function readError(phase: 'alignment', expectedDigest: string): Promise<StateError> {
  const error = await store.readArtifact(phase, expectedDigest).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StateError);
  return error as StateError;
}

describe('ArtifactStore', () => {
  it('puts the session under .isolated-phase-orchestrator/sessions/<session>', () => {
    expect(store.dir).toBe(join(root, STATE_DIR, 'sessions', SESSION));
  });

  it.each([
    ['alignment', alignmentEnvelope],
    ['implementation', implementationEnvelope],
    ['verification', verificationEnvelope],
    ['commit', commitEnvelope],
  ] as const)('round-trips a %s artifact and returns its canonical digest', async (phase, make) => {
    const envelope = make();
    const recorded = await store.writeArtifact(envelope);
    expect(recorded).toBe(digest(envelope));
    expect(await store.readArtifact(phase, recorded)).toEqual(envelope);
  });

  it('round-trips the ledger', async () => {
    await store.writeLedger(ledger());
    expect(await store.readLedger()).toEqual(ledger());
  });

  it('accepts a re-formatted artifact: the digest is over canonical JSON, not bytes', async () => {
    const recorded = await store.writeArtifact(alignmentEnvelope());
    const text = await readFile(store.path('alignment.json'), 'utf8');
    await writeFile(store.path('alignment.json'), JSON.stringify(JSON.parse(text)));
    expect((await store.readArtifact('alignment', recorded)).body.verdict).toBe('aligned');
  });

  it('refuses an artifact with one byte changed after it was recorded', async () => {
    const recorded = await store.writeArtifact(alignmentEnvelope());
    const text = await readFile(store.path('alignment.json'), 'utf8');
    await writeFile(store.path('alignment.json'), text.replace('"attempt": 1', '"attempt": 2'));
    const error = await readError('alignment', recorded);
    expect(error.code).toBe('digest-mismatch');
    expect(error.file).toBe('alignment.json');
    expect(error.message).toMatch(/^alignment\.json was modified after it was recorded \(sha256 mismatch: /);
    // The advice must be a command the state machine accepts where this is found (a later phase's run).
    expect(error.message).toContain('say `rollback alignment` to run alignment again');
  });

  it('refuses a truncated artifact as invalid JSON', async () => {
    const recorded = await store.writeArtifact(alignmentEnvelope());
    const text = await readFile(store.path('alignment.json'), 'utf8');
    await writeFile(store.path('alignment.json'), text.slice(0, 40));
    const error = await readError('alignment', recorded);
    expect(error.code).toBe('invalid-json');
    expect(error.message).toMatch(/^alignment\.json: not valid JSON \(.+\)$/);
  });

  it.each([
    [
      'another version',
      'ipo.alignment/v2',
      'alignment.json: schema is "ipo.alignment/v2", expected "ipo.alignment/v1"',
    ],
    [
      'another kind',
      'ipo.verification/v1',
      'alignment.json: schema is "ipo.verification/v1", expected "ipo.alignment/v1"',
    ],
    ['no schema', undefined, 'alignment.json: schema is missing, expected "ipo.alignment/v1"'],
  ])('refuses an artifact of %s', async (_label, schema, message) => {
    const recorded = await plantAlignment({ ...alignmentEnvelope(), schema });
    const error = await readError('alignment', recorded);
    expect(error.code).toBe('wrong-schema');
    expect(error.path).toBe('schema');
    expect(error.message).toBe(message);
  });

  it('names the file, JSON path and expected shape of a bad acceptance-criterion id', async () => {
    const envelope = alignmentEnvelope();
    const bad = {
      ...envelope,
      body: { ...envelope.body, acceptanceCriteria: [...envelope.body.acceptanceCriteria] },
    };
    bad.body.acceptanceCriteria[2] = { id: 'x', text: 't', verifyBy: 'test' };
    const error = await readError('alignment', await plantAlignment(bad));
    expect(error.message).toBe('alignment.json: body.acceptanceCriteria[2].id: expected "AC-<n>", got "x"');
    expect(error).toMatchObject({
      code: 'invalid',
      file: 'alignment.json',
      path: 'body.acceptanceCriteria[2].id',
    });
    expect(error.expected).toBe('"AC-<n>"');
  });

  it('names a missing field', async () => {
    const { verdict: _dropped, ...body } = alignmentEnvelope().body;
    const error = await readError('alignment', await plantAlignment({ ...alignmentEnvelope(), body }));
    expect(error.message).toBe(
      'alignment.json: body.verdict: expected one of "aligned", "misaligned", "needs_clarification", ' +
        'got nothing (the field is missing)',
    );
  });

  it('refuses a missing artifact file', async () => {
    await store.writeLedger(ledger());
    const error = await readError('alignment', 'd'.repeat(64));
    expect(error.code).toBe('not-found');
    expect(error.message).toBe(
      `alignment.json: file not found (expected at ${store.path('alignment.json')})`,
    );
  });

  it('leaves the session directory byte-identical after every failed read', async () => {
    const recorded = await store.writeArtifact(alignmentEnvelope());
    await store.writeLedger(ledger());
    await writeFile(store.path('alignment.json'), '{"schema":');
    const before = await snapshot();
    await expect(store.readArtifact('alignment', recorded)).rejects.toThrow(StateError);
    await expect(store.readArtifact('commit', recorded)).rejects.toThrow(StateError);
    expect(await snapshot()).toEqual(before);
  });

  it('writes atomically, leaving no temp files behind', async () => {
    await store.writeArtifact(alignmentEnvelope());
    await store.writeArtifact(alignmentEnvelope());
    await store.writeLedger(ledger());
    expect((await readdir(store.dir)).sort()).toEqual(['alignment.json', 'session.json']);
  });

  it('refuses to write an invalid artifact and leaves no file', async () => {
    const bad = { ...alignmentEnvelope(), attempt: 0 };
    await expect(store.writeArtifact(bad)).rejects.toThrow(
      'alignment.json: attempt: expected a number >= 1, got 0',
    );
    await expect(readdir(store.dir)).rejects.toThrow();
  });

  it('refuses a ledger of another version', async () => {
    await store.writeLedger(ledger());
    await writeFile(store.path('session.json'), JSON.stringify({ ...ledger(), schema: 'ipo.ledger/v0' }));
    await expect(store.readLedger()).rejects.toThrow(
      'session.json: schema is "ipo.ledger/v0", expected "ipo.ledger/v1"',
    );
  });

  it.each(['../escape', 'phase-2.4', 'phase-2.4-20250131/../x', 'phase-2.4-20250131-1'])(
    'refuses the session id %j',
    (id) => {
      expect(() => sessionDir(root, id)).toThrow(StateError);
    },
  );

  it('lists stored sessions', async () => {
    await store.writeLedger(ledger());
    await ArtifactStore.forSession(root, 'phase-1.2-20250101-2').writeLedger({
      ...ledger(),
      session: 'phase-1.2-20250101-2',
    });
    expect(await listSessionIds(root)).toEqual(['phase-1.2-20250101-2', SESSION]);
    expect(await listSessionIds(join(root, 'nowhere'))).toEqual([]);
  });
});
