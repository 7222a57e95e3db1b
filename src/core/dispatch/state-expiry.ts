/** A state artifact's lifetime, as GitHub reports it (`created_at`, `expires_at`, `expired`). */
export interface ArtifactLifetime {
  name: string;
  createdAt: string;
  expiresAt: string | null;
  expired: boolean;
}

const DAY_MS = 24 * 3600 * 1000;
/** Warn at most this early: a week is enough to act on a weekly rhythm, without nagging for weeks of a 90-day retention. */
const WARN_MS = 7 * DAY_MS;
/** …and no earlier than the last fifth of the retention, so a 1-day retention is not "near expiry" from the start. */
const WARN_SHARE = 0.2;

export type StateExpiry =
  | { kind: 'kept'; expiresAt: string | null }
  | { kind: 'nearing'; expiresAt: string; hoursLeft: number }
  | { kind: 'expired'; expiresAt: string | null };

/**
 * Where a session's newest state artifact stands: artifacts expire after the repository's retention (90 days by
 * default, down to 1 day), and a session cannot continue from an expired one. Nearing: less than
 * min(7 days, 20 % of the retention) left.
 */
export function stateExpiry(artifact: ArtifactLifetime, now: Date): StateExpiry {
  if (artifact.expired) return { kind: 'expired', expiresAt: artifact.expiresAt };
  if (artifact.expiresAt === null) return { kind: 'kept', expiresAt: null };
  const end = Date.parse(artifact.expiresAt);
  const left = end - now.getTime();
  if (left <= 0) return { kind: 'expired', expiresAt: artifact.expiresAt };
  const retention = end - Date.parse(artifact.createdAt);
  const window = Math.min(WARN_MS, WARN_SHARE * retention);
  return left < window
    ? { kind: 'nearing', expiresAt: artifact.expiresAt, hoursLeft: Math.floor(left / 3600_000) }
    : { kind: 'kept', expiresAt: artifact.expiresAt };
}

/** What to tell a person about a session's state artifact, or null while it is simply kept. */
export function stateExpiryText(
  artifact: ArtifactLifetime,
  expiry: StateExpiry,
  session: string,
): string | null {
  const day = (at: string | null) => (at ? at.slice(0, 10) : 'an unknown date');
  switch (expiry.kind) {
    case 'kept':
      return null;
    case 'nearing': {
      const left =
        expiry.hoursLeft >= 48 ? `${Math.floor(expiry.hoursLeft / 24)} days` : `${expiry.hoursLeft} hours`;
      return (
        `⚠️ The state of session \`${session}\` (artifact \`${artifact.name}\`) expires on ${day(expiry.expiresAt)}, ` +
        `in ${left}: after that the session cannot continue. Continue it before then (the next phase run keeps a ` +
        'fresh copy), or re-run its latest run from the Actions tab to upload the state again.'
      );
    }
    case 'expired':
      return (
        `the state of session \`${session}\` (artifact \`${artifact.name}\`) expired on ${day(expiry.expiresAt)} ` +
        "(GitHub keeps artifacts for the repository's retention period, 90 days by default), so the session " +
        'cannot continue: say `cancel session` and start it again; to keep sessions longer, raise the retention ' +
        '(Settings → Actions → General → Artifact and log retention)'
      );
  }
}
