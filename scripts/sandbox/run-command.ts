import { readStatusComment } from '../../src/github/sticky-comment.ts';
import { terminalSafe } from '../../src/report/format.ts';
import { commentAs } from './comment-as.ts';
import { renderArtifacts, renderLog, renderPull, renderRuns } from './inspect-github.ts';
import { renderComments } from './render-comments.ts';
import { type LiveRun, renderStatus } from './render-status.ts';
import { HELP } from './sandbox-banner.ts';
import type { Sandbox } from './start-sandbox.ts';

/** What one command printed, whether it failed, and whether it asked to stop. */
export interface CommandOutcome {
  ok: boolean;
  output: string;
  quit: boolean;
}

export const COMMAND_NAMES = [
  'as',
  'comments',
  'status',
  'runs',
  'artifacts',
  'pr',
  'log',
  'help',
  'quit',
] as const;

/** Runs one line typed at the prompt; never throws (an error is a failed outcome naming the command). */
export async function runCommand(s: Sandbox, line: string): Promise<CommandOutcome> {
  const trimmed = line.trim();
  const [name = '', ...rest] = trimmed.split(/\s+/);
  const args = trimmed.slice(name.length).trim();
  const done = (output: string, ok = true): CommandOutcome => ({ ok, output, quit: false });
  try {
    switch (name.toLowerCase()) {
      case '':
        return done('');
      case 'as':
        return { ...(await commentAs(s, args)), quit: false };
      case 'comments':
        return done(renderComments(s.comments().map((comment) => ({ comment }))));
      case 'status':
        return done(await status(s));
      case 'runs':
        return done(await renderRuns(s));
      case 'artifacts': {
        if (rest.length > 1 || (rest[0] !== undefined && !/^\d+$/.test(rest[0]))) {
          return done('usage: artifacts [run-id]   (run ids: see `runs`)', false);
        }
        return done(await renderArtifacts(s, rest[0] === undefined ? undefined : Number(rest[0])));
      }
      case 'pr':
        return done(await renderPull(s));
      case 'log':
        return done(await renderLog(s));
      case 'help':
      case '?':
        return done(HELP);
      case 'quit':
      case 'exit':
        return { ok: true, output: '', quit: true };
      default:
        return done(`unknown command "${terminalSafe(name)}"; type \`help\` for the list`, false);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return done(`${name} failed: ${terminalSafe(message)}`, false);
  }
}

async function status(s: Sandbox): Promise<string> {
  const marker =
    (await readStatusComment(s.octokit, { owner: s.owner, repo: s.repo }, s.issue, s.trust))?.marker ?? null;
  const live = new Map<number, LiveRun>();
  for (const run of marker?.runs ?? []) {
    const now = s.github.run(run.runId);
    if (now) live.set(run.runId, { status: now.status, conclusion: now.conclusion });
  }
  return renderStatus(marker, live, s.replay.remaining().length);
}
