import { ArtifactStore, listSessionIds, STATE_DIR } from '../state/artifact-store.ts';
import type { Ledger } from '../state/ledger.ts';
import { LEDGER_FILE_NAME } from '../state/parse-document.ts';
import { StateError } from '../state/state-error.ts';

/**
 * Reads and validates the ledger of `session` under `repo`. Problems name the file by its path in the repository
 * (`…/sessions/<id>/session.json: status.kind: …`), because a bare `session.json` does not say which session is broken.
 */
export async function readSessionLedger(repo: string, session: string): Promise<Ledger> {
  const path = `${STATE_DIR}/sessions/${session}/${LEDGER_FILE_NAME}`;
  let ledger: Ledger;
  try {
    ledger = await ArtifactStore.forSession(repo, session).readLedger();
  } catch (error) {
    if (!(error instanceof StateError) || error.file !== LEDGER_FILE_NAME) throw error;
    const named = (text: string) => text.replace(/^session\.json: /gm, `${path}: `);
    throw new StateError({
      code: error.code,
      file: path,
      path: error.path,
      expected: error.expected,
      message: named(error.message),
      problems: error.problems.map(named),
      cause: error,
    });
  }
  // The ledger's own id decides where later writes go: one copied or edited from another session would write there.
  if (ledger.session !== session) {
    throw new StateError({
      code: 'invalid',
      file: path,
      path: 'session',
      expected: JSON.stringify(session),
      message: `${path}: session: expected "${session}" (the directory it is in), got ${JSON.stringify(ledger.session)}`,
    });
  }
  return ledger;
}

/** Every session's ledger under `repo`, and the sessions whose `session.json` cannot be read, with the reason. */
export async function readAllSessionLedgers(
  repo: string,
): Promise<{ ledgers: Ledger[]; unreadable: { session: string; reason: string; error: StateError }[] }> {
  const ledgers: Ledger[] = [];
  const unreadable: { session: string; reason: string; error: StateError }[] = [];
  for (const session of await listSessionIds(repo)) {
    try {
      ledgers.push(await readSessionLedger(repo, session));
    } catch (error) {
      // One broken old session must not block every other command: it is named, and left as it is.
      if (!(error instanceof StateError)) throw error;
      unreadable.push({ session, reason: error.message.split('\n')[0] ?? error.message, error });
    }
  }
  return { ledgers, unreadable };
}
