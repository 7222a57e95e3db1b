import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ApplicationFunction, createNodeMiddleware, Probot } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHub, startLocalGitHub } from './local-github.ts';
import { issueCommentCreated } from './webhook-payloads.ts';
import { PHASE_WORKFLOW, workflowSeed } from './workflow-fixture.ts';

const SECRET = 'probot-test-secret';
const repoParams = { owner: 'octo', repo: 'demo' };

interface Outcome {
  login: string;
  status?: number;
  runId?: number;
}

/** A tiny app doing what the real one does first: config, permission, dispatch with run details. */
function testApp(outcomes: Outcome[]): ApplicationFunction {
  return (app) => {
    app.on('issue_comment.created', async (context) => {
      const config = await context.config<{ workflow: string; approvers: string[] }>('ipo.yml');
      const login = context.payload.comment.user?.login ?? '';
      const { data: permission } = await context.octokit.rest.repos.getCollaboratorPermissionLevel(
        context.repo({ username: login }),
      );
      const allowed = ['admin', 'maintain', 'write'].includes(permission.role_name);
      if (!config || !allowed) {
        await context.octokit.rest.issues.createComment(
          context.issue({ body: `@${login} may not do that.` }),
        );
        outcomes.push({ login });
        return;
      }
      const response = await context.octokit.rest.actions.createWorkflowDispatch(
        context.repo({
          workflow_id: config.workflow,
          ref: 'main',
          inputs: {
            session: 'phase-1.2-20250101',
            phase: 'alignment',
            'issue-number': String(context.payload.issue.number),
          },
          return_run_details: true,
        }),
      );
      const details = response.data as unknown as { workflow_run_id: number };
      outcomes.push({ login, status: response.status, runId: details.workflow_run_id });
    });
  };
}

describe('a real Probot app against the local GitHub', () => {
  let github: LocalGitHub;
  let seed: string;
  let server: Server;
  let webhookUrl: string;
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    seed = await workflowSeed({ 'ipo-phase.yml': PHASE_WORKFLOW });
    await mkdir(join(seed, '.github'), { recursive: true });
    await writeFile(join(seed, '.github', 'ipo.yml'), 'workflow: ipo-phase.yml\napprovers: []\n');
    github = await startLocalGitHub({
      ...repoParams,
      tokens: [],
      seed,
      permissions: { alice: 'write', mallory: 'read' },
      app: { id: 4711 },
      webhookSecret: SECRET,
    });
    const app = github.app;
    if (!app) throw new Error('the app was not registered');
    const probot = new Probot({
      appId: app.id,
      privateKey: app.privateKey,
      secret: SECRET,
      baseUrl: github.apiUrl,
      logLevel: 'fatal',
    });
    const middleware = await createNodeMiddleware(testApp(outcomes), { probot });
    server = createServer((req, res) => {
      void middleware(req, res, () => res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await github.close();
    await rm(seed, { recursive: true, force: true });
  });

  const comment = (user: string, body: string) => {
    const issue = github.createIssue({ title: 'Task 1.2', user: 'alice' });
    return issueCommentCreated(github, {
      issue,
      comment: github.createComment(issue.number, { body, user }),
    });
  };

  it('authenticates as the installation, reads the config, checks the permission and dispatches with run details', async () => {
    const payload = comment('alice', "I'm going to start phase 1.2");
    const before = github.requests.length;
    const delivery = await github.deliver(webhookUrl, 'issue_comment', payload);

    expect(delivery).toMatchObject({ status: 200, body: 'ok\n' });
    expect(outcomes).toEqual([{ login: 'alice', status: 200, runId: expect.any(Number) }]);
    const run = github.run(outcomes[0]?.runId ?? 0);
    expect(run).toMatchObject({
      display_title: `ipo phase-1.2-20250101 alignment #1 (issue ${payload.issue.number})`,
      actor: { login: 'ipo-app[bot]', type: 'Bot' },
      status: 'queued',
    });
    expect(github.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `POST /app/installations/${github.app?.installationId}/access_tokens 201`,
      'GET /repos/octo/demo/contents/.github%2Fipo.yml 200',
      'GET /repos/octo/demo/collaborators/alice/permission 200',
      'POST /repos/octo/demo/actions/workflows/ipo-phase.yml/dispatches 200',
    ]);
  });

  it('refuses a reader with a reply from the app bot and dispatches nothing, reusing the cached token', async () => {
    const runs = github.actions.runs.length;
    const payload = comment('mallory', 'proceed to implementation');
    const delivery = await github.deliver(webhookUrl, 'issue_comment', payload);

    expect(delivery.status).toBe(200);
    expect(outcomes.at(-1)).toEqual({ login: 'mallory' });
    expect(github.actions.runs).toHaveLength(runs);
    const reply = github.state.comments.filter((c) => c.issueNumber === payload.issue.number).at(-1);
    expect(reply).toMatchObject({ user: 'ipo-app[bot]', body: '@mallory may not do that.' });
    expect(github.requests.filter((r) => r.path.endsWith('/access_tokens'))).toHaveLength(1);
  });

  it('rejects a delivery with a bad signature before the app sees it', async () => {
    const handled = outcomes.length;
    const delivery = await github.deliver(webhookUrl, 'issue_comment', comment('alice', 'x'), {
      secret: 'wrong',
    });
    expect(delivery.status).toBe(400);
    expect(delivery.body).toContain('signature does not match');
    expect(outcomes).toHaveLength(handled);
  });
});
