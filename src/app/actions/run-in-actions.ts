import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { Probot } from 'probot';
import { composeAppDeps } from '../compose.ts';
import ipoApp from '../index.ts';

/**
 * Zero-infra mode: the same app, run inside an `issue_comment` / `workflow_run` workflow with the job's token
 * instead of a hosted server. GitHub already verified the event; Probot gets it from the event file.
 */
export async function runInActions(env: NodeJS.ProcessEnv): Promise<void> {
  try {
    const token = core.getInput('github-token') || env.GITHUB_TOKEN;
    const name = env.GITHUB_EVENT_NAME;
    const eventPath = env.GITHUB_EVENT_PATH;
    if (!token || !name || !eventPath) throw new Error('run inside GitHub Actions with github-token set');
    const payload = JSON.parse(await readFile(eventPath, 'utf8'));
    const probot = new Probot({
      githubToken: token,
      ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
      logLevel: 'warn',
    });
    // No HTTP server in a workflow: the /healthz route has nowhere to go.
    // Here the status comments are written with the job's token, so their author is `github-actions[bot]`, and the
    // state key is the repository's own (the secret IPO_STATE_KEY), not derived from an app secret.
    const key = core.getInput('state-key') || env.IPO_STATE_KEY;
    const deps = {
      ...composeAppDeps(env),
      botLogin: core.getInput('bot-login') || env.IPO_BOT_LOGIN || 'github-actions[bot]',
      stateKey: key ? { kind: 'repository-key' as const, key } : { kind: 'none' as const },
    };
    await probot.load((app, options) => ipoApp(app, options, deps), {
      cwd: process.cwd(),
      addHandler: () => undefined,
    });
    const action = typeof payload.action === 'string' ? `.${payload.action}` : '';
    core.info(`ipo app: handling ${name}${action}`);
    await probot.receive({ id: env.GITHUB_RUN_ID ?? 'local', name, payload } as Parameters<
      Probot['receive']
    >[0]);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
