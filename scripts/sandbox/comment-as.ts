import { formatDuration, terminalSafe } from '../../src/report/format.ts';
import { changedSince, renderComments } from './render-comments.ts';
import { SANDBOX_USERS, type Sandbox, type SandboxUser } from './start-sandbox.ts';

const TAIL_LINES = 6;

/**
 * `as <user> <text…>`: posts the comment, delivers `issue_comment.created` to the app, waits for every run it
 * caused, then reports those runs and the comments that appeared or changed. Fails when the app did not accept
 * the delivery or a dispatched run never completed (the runner itself broke, not the phase).
 */
export async function commentAs(s: Sandbox, args: string): Promise<{ ok: boolean; output: string }> {
  const match = /^(\S+)\s+([\s\S]+)$/.exec(args);
  if (!match?.[1] || !match[2]) {
    return {
      ok: false,
      output: 'usage: as <user> <comment text…>   e.g. as maintainer proceed to implementation',
    };
  }
  const user = match[1];
  if (!isSandboxUser(user)) {
    const known = Object.keys(SANDBOX_USERS).join(', ');
    return { ok: false, output: `unknown user "${terminalSafe(user)}": comment as one of ${known}` };
  }
  // A literal `\n` lets one prompt line carry a multi-line comment (a retry with feedback lines).
  const body = match[2].replaceAll('\\n', '\n');
  const before = new Map(s.comments().map((c) => [c.id, c.body]));
  const recordsBefore = s.runner.records.length;
  const hookErrorsBefore = s.github.hookErrors.length;
  const runsBefore = s.github.actions.runs.length;
  const start = Date.now();

  const { commentId, delivery } = await s.comment(user, body);
  const out: string[] = [];
  let ok = delivery.status >= 200 && delivery.status < 300;
  if (!ok) out.push(`the app answered the webhook with ${delivery.status}: ${terminalSafe(delivery.body)}`);
  for (const record of s.runner.records.slice(recordsBefore)) {
    out.push(`run ${record.runId}  ${record.phase} #${record.attempt}  ${record.conclusion}`);
    if (record.conclusion !== 'success') out.push(...tail(record.stdout).map((line) => `    ${line}`));
  }
  for (const error of s.github.hookErrors.slice(hookErrorsBefore)) {
    ok = false;
    out.push(`the runner failed: ${terminalSafe(error instanceof Error ? error.message : String(error))}`);
  }
  for (const run of s.github.actions.runs.slice(runsBefore).filter((r) => r.status !== 'completed')) {
    ok = false;
    out.push(`run ${run.id} (${run.displayTitle}) is stuck ${run.status}: the runner could not execute it`);
  }
  const changed = changedSince(s.comments(), before).filter(({ comment }) => comment.id !== commentId);
  out.push(changed.length > 0 ? renderComments(changed) : '(no reply: the app ignored the comment)');
  out.push(`(${formatDuration(Date.now() - start)})`);
  return { ok, output: out.join('\n') };
}

function isSandboxUser(login: string): login is SandboxUser {
  return Object.hasOwn(SANDBOX_USERS, login);
}

/** The last lines a failed run printed: usually the error the action reported. */
function tail(stdout: string): string[] {
  const lines = terminalSafe(stdout)
    .split('\n')
    // The job's own `::add-mask::` lines name the very secrets they hide.
    .filter((line) => line.trim() !== '' && !line.startsWith('::add-mask::'));
  return lines.slice(-TAIL_LINES);
}
