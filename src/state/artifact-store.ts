import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Phase } from '../core/phases.ts';
import { parseSessionId } from '../core/session/session-id.ts';
import { ENVELOPE_SCHEMAS, type Envelope, type EnvelopeOf } from './envelope.ts';
import { type Ledger, ledgerSchema } from './ledger.ts';
import {
  artifactFileName,
  LEDGER_FILE_NAME,
  parseArtifact,
  parseLedger,
  serializeDocument,
} from './parse-document.ts';
import { StateError } from './state-error.ts';
import { writeFileAtomic } from './write-atomic.ts';

/** Directory, relative to the repository root, that holds ipo's local state. */
export const STATE_DIR = '.isolated-phase-orchestrator';

/** `<repoRoot>/.isolated-phase-orchestrator/sessions/<session>`; refuses ids that could escape the directory. */
export function sessionDir(repoRoot: string, session: string): string {
  // parseSessionId admits only `phase-<digits.dots>-<digits>[-<n>]`, so the id cannot climb out of sessions/.
  if (parseSessionId(session) === null) {
    throw new StateError({
      code: 'bad-session-id',
      file: session,
      expected: 'phase-<task>-<YYYYMMDD>[-<n>]',
      message: `${JSON.stringify(session)} is not a session id (expected "phase-<task>-<YYYYMMDD>[-<n>]")`,
    });
  }
  return join(repoRoot, STATE_DIR, 'sessions', session);
}

/** Ids of the sessions stored under `repoRoot`, sorted; [] when there are none. */
export async function listSessionIds(repoRoot: string): Promise<string[]> {
  try {
    const entries = await readdir(join(repoRoot, STATE_DIR, 'sessions'), { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && parseSessionId(entry.name) !== null)
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Artifacts and ledger of one session directory; every write is atomic and every read is validated. */
export class ArtifactStore {
  constructor(readonly dir: string) {}

  /** The store of `session` under `repoRoot`'s state directory. */
  static forSession(repoRoot: string, session: string): ArtifactStore {
    return new ArtifactStore(sessionDir(repoRoot, session));
  }

  /** Validates and writes `<phase>.json`; returns the digest the ledger should record. */
  async writeArtifact(envelope: Envelope): Promise<string> {
    const file = artifactFileName(envelope.phase);
    const { text, digest } = serializeDocument(ENVELOPE_SCHEMAS[envelope.phase], envelope, file);
    await this.write(file, text);
    return digest;
  }

  /** Reads `<phase>.json`, refusing it unless its digest is `expectedDigest` and it matches its schema. */
  async readArtifact<P extends Phase>(phase: P, expectedDigest: string): Promise<EnvelopeOf<P>> {
    const file = artifactFileName(phase);
    return parseArtifact(phase, await this.read(file), { expectedDigest, file });
  }

  /**
   * The exact text of `<phase>.json` once it has passed the same checks as `readArtifact`: for carrying an artifact
   * on byte for byte without a second read of the file.
   */
  async readArtifactText(phase: Phase, expectedDigest: string): Promise<string> {
    const file = artifactFileName(phase);
    const text = await this.read(file);
    parseArtifact(phase, text, { expectedDigest, file });
    return text;
  }

  /** Validates and writes `session.json`; returns its digest. */
  async writeLedger(ledger: Ledger): Promise<string> {
    const { text, digest } = serializeDocument(ledgerSchema, ledger, LEDGER_FILE_NAME);
    await this.write(LEDGER_FILE_NAME, text);
    return digest;
  }

  /** Reads and validates `session.json`. */
  async readLedger(): Promise<Ledger> {
    return parseLedger(await this.read(LEDGER_FILE_NAME), LEDGER_FILE_NAME);
  }

  /** Absolute path of a file in the session directory. */
  path(file: string): string {
    return join(this.dir, file);
  }

  private async write(file: string, text: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.path(file), text);
  }

  private async read(file: string): Promise<string> {
    try {
      return await readFile(this.path(file), 'utf8');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new StateError({
        code: missing ? 'not-found' : 'unreadable',
        file,
        expected: 'a readable file',
        message: missing
          ? `${file}: file not found (expected at ${this.path(file)})`
          : `${file}: cannot read ${this.path(file)} (${(error as Error).message})`,
        cause: error,
      });
    }
  }
}
