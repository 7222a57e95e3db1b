import type { Phase } from '../phases.ts';
import { rollbackOptions } from './decide-rollback.ts';
import { listPhrases } from './refusals.ts';
import type { SessionView } from './session-state.ts';

/**
 * What a person can say after `phase` failed or was blocked: retry it (after verification, also send the
 * implementation back), roll back, or cancel.
 */
export function recoveryOffer(session: SessionView, phase: Phase): string {
  const retries =
    phase === 'verification' ? ['retry verification', 'retry implementation'] : [`retry ${phase}`];
  const options = listPhrases([...retries, ...rollbackOptions(session), 'cancel session']);
  // A blocked phase needs a person's judgement, which reaches the retry as feedback lines.
  const feedback =
    session.status.kind === 'blocked' ? ' (lines under `retry …` reach the retry as feedback)' : '';
  return `say ${options}${feedback}`;
}
