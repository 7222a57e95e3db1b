import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareScenarioRepo } from '../../bench/scenarios/scenario-repo.ts';
import type { Command } from '../../core/commands/command.ts';
import { commandPhrase } from '../../core/session/command-phrase.ts';
import { git } from '../../git/git.ts';
import { giveCommand, startSession } from '../../local/local-session.ts';
import { UserError } from '../../local/user-error.ts';
import { loadScript } from '../../replay/load-script.ts';
import { startReplayServer } from '../../replay/replay-server.ts';
import { renderStatus } from '../../report/render-status.ts';
import { sessionDir } from '../../state/artifact-store.ts';
import { type CliIo, composeSession } from '../compose.ts';
import { printReportWithReviews } from './session-commands.ts';

export const EXAMPLE_REPO = fileURLToPath(new URL('../../../examples/demo-repo', import.meta.url));
export const DEMO_SCRIPT = fileURLToPath(new URL('../../../examples/demo-replay.yaml', import.meta.url));
export const DEMO_TASK = '1.3';
const DEMO_IDENTITY = { name: 'Demo Maintainer', email: 'maintainer@example.com' };

export interface DemoResult {
  repo: string;
  session: string;
  exitCode: number;
}

/** Copies the example repository to `repo` and commits it on `main`, with a repository-local identity. */
export async function prepareExampleRepo(repo: string): Promise<void> {
  await prepareScenarioRepo(EXAMPLE_REPO, repo, {
    message: 'tally 0.1: sum and mean; median stub with tests',
    identity: DEMO_IDENTITY,
  });
}

/**
 * `ipo demo`: a whole session on a copy of the bundled example repository, every phase in its own process, the
 * model answered by a local replay of the Messages API. The approvals a person would type are typed and shown.
 */
export async function runDemo(io: CliIo, env: NodeJS.ProcessEnv, options: { dir?: string }): Promise<number> {
  return (await demoSession(io, env, options)).exitCode;
}

export async function demoSession(
  io: CliIo,
  env: NodeJS.ProcessEnv,
  options: { dir?: string },
): Promise<DemoResult> {
  const repo = options.dir ?? (await mkdtemp(join(tmpdir(), 'ipo-demo-')));
  await prepareExampleRepo(repo);

  const replay = await startReplayServer({ script: await loadScript(DEMO_SCRIPT) });
  io.out(
    [
      'ipo demo — a whole session on a copy of examples/demo-repo, offline.',
      `Model responses are REPLAYED from examples/demo-replay.yaml by a local Messages API at ${replay.url};`,
      'everything else is real: separate phase processes, git worktrees, the tests, artifacts and digests.',
      `Repository: ${repo}`,
      '',
    ].join('\n'),
  );
  const sessionEnv = { ...env, ANTHROPIC_API_KEY: 'replay-demo-key', ANTHROPIC_BASE_URL: replay.url };
  const deps = composeSession(io, sessionEnv, { cwd: repo, actor: 'demo-maintainer' });
  const ctx = { io, env: sessionEnv, cwd: repo };
  try {
    const say = (command: Command) => io.out(`\n> ${commandPhrase(command)}    (typed for you)\n`);
    say({ name: 'start', taskId: DEMO_TASK });
    let report = await startSession(deps, DEMO_TASK);
    let exitCode = await printReportWithReviews(ctx, report);
    for (const phase of ['implementation', 'verification', 'commit'] as const) {
      if (exitCode !== 0) break;
      say({ name: 'proceed', phase });
      report = await giveCommand(deps, { name: 'proceed', phase }, report.session);
      exitCode = await printReportWithReviews(ctx, report);
    }
    if (exitCode === 0 && replay.remaining().length > 0) {
      throw new UserError(`the replay script has unserved turns: ${replay.remaining().join(', ')}`);
    }
    const message = await git(repo, ['log', '-1', '--format=%H%n%B', report.ledger.branch]);
    io.out(
      [
        '',
        renderStatus(report.ledger, { now: new Date(), color: io.isTTY }),
        '',
        `Final commit on ${report.ledger.branch}:`,
        ...message
          .trimEnd()
          .split('\n')
          .map((line) => `    ${line}`),
        '',
        `Artifacts, ledger and transcripts: ${sessionDir(repo, report.session)}`,
        `Try: cd ${repo} && ipo log    (or: git log --stat ${report.ledger.branch})`,
        'The model responses above were replayed; set ANTHROPIC_API_KEY and run `ipo start <task>` on your repository for real ones.',
        '',
      ].join('\n'),
    );
    return { repo, session: report.session, exitCode };
  } finally {
    await replay.close();
  }
}
