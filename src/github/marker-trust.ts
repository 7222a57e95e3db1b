import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { sameLogin } from '../core/session/refusals.ts';
import { sessionBranch } from '../core/session/session-branch.ts';
import { canonicalJson } from '../state/digest.ts';
import type { StatusMarker } from './status-marker.ts';

/**
 * Who may have written session state on a repository, and how it is sealed. Anyone who can comment can paste a
 * marker, and anyone with write access can edit the bot's comment: state counts only when it passes all of these.
 */
export interface StateTrust {
  /** ipo's own bot login (`<slug>[bot]`, or the zero-infra workflow's `github-actions[bot]`): only its comments count. */
  author: string;
  /** `owner/name`: a marker copied from another repository does not count. */
  repo: string;
  /**
   * The repository's state key (HMAC key), or null when none is configured: markers are then unsigned, which the
   * status comment and the start-up log say loudly; the author, binding and GitHub checks still apply.
   */
  key: string | null;
}

/** Whether a comment's author is ipo's own bot identity (GitHub's `User.type` is `Bot` for apps and Actions). */
export function isOwnComment(user: { login: string; type?: string } | null | undefined, trust: StateTrust) {
  return Boolean(user && user.type === 'Bot' && sameLogin(user.login, trust.author));
}

/** The marker with its seal: an HMAC over every other field (RFC 8785 canonical JSON), or unsigned without a key. */
export function sealMarker(marker: StatusMarker, key: string | null): StatusMarker {
  const { sig: _old, ...fields } = marker;
  return key === null ? fields : { ...fields, sig: seal(fields, key) };
}

/**
 * Why `marker`, read from a comment by ipo's bot on issue `issueNumber`, cannot be acted on — or null when it can.
 * Checked before any field is used: the seal (where a key is set), the repository and issue it names, and the
 * branch, which must be exactly the session's own `ipo/<session>`.
 */
export function markerDistrust(marker: StatusMarker, trust: StateTrust, issueNumber: number): string | null {
  if (trust.key !== null) {
    const { sig, ...fields } = marker;
    if (!sig) return 'its marker is not signed, though this repository has a state key';
    const expected = Buffer.from(seal(fields, trust.key), 'hex');
    const given = Buffer.from(sig, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return 'its marker was changed after ipo wrote it (the signature does not match)';
    }
  }
  if (marker.repo.toLowerCase() !== trust.repo.toLowerCase()) {
    return `its marker belongs to another repository (${marker.repo})`;
  }
  if (marker.issueNumber !== issueNumber) return `its marker belongs to issue #${marker.issueNumber}`;
  if (marker.branch !== sessionBranch(marker.session)) {
    return `its marker names the branch ${marker.branch}, not the session's ${sessionBranch(marker.session)}`;
  }
  return null;
}

/**
 * The state key of one repository, derived from the app's secret (HKDF-SHA256), so a repository's key — which its
 * phase workflow holds as the secret `IPO_STATE_KEY` — cannot seal markers for any other repository.
 */
export function repositoryStateKey(appSecret: string, repo: string): string {
  const info = `ipo state key v1 ${repo.toLowerCase()}`;
  return Buffer.from(hkdfSync('sha256', appSecret, 'ipo', info, 32)).toString('hex');
}

function seal(fields: Omit<StatusMarker, 'sig'>, key: string): string {
  return createHmac('sha256', key).update(canonicalJson(fields), 'utf8').digest('hex');
}
