import { rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHub, startLocalGitHub } from './local-github.ts';
import { EXAMPLES } from './webhook-examples.ts';
import { issueCommentCreated, issueCommentEdited, workflowRunCompleted } from './webhook-payloads.ts';
import { PHASE_WORKFLOW, workflowSeed } from './workflow-fixture.ts';

const SECRET = 'local-webhook-secret';
const repoParams = { owner: 'octo', repo: 'demo' };

/** Every key path of `value` (`a`, `a.b`, …); array elements are followed through their first element. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 ? keyPaths(value[0], `${prefix}[]`) : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...keyPaths(child, path)];
  });
}

/** Keys of the example whose value is an object in both, so nested shapes must match too. */
function missingKeys(example: unknown, built: unknown): string[] {
  const have = new Set(keyPaths(built));
  return keyPaths(example).filter((path) => !have.has(path) && !isUnderNull(built, path));
}

// Where we put `null` (no milestone, no assignee), the example's object keys underneath cannot exist.
function isUnderNull(value: unknown, path: string): boolean {
  let at: unknown = value;
  for (const key of path.replace(/\[\]/g, '.0').split('.').filter(Boolean)) {
    if (at === null) return true;
    if (Array.isArray(at) && at.length === 0) return true;
    at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  }
  return false;
}

/** Values copied from the examples that would point at github.com or its sample accounts. */
function leftovers(payload: unknown): string[] {
  const found = JSON.stringify(payload).match(
    /[^"]*(github\.com|githubusercontent|Codertocat|Octocoders|octo-org|Hello-World)[^"]*/g,
  );
  return found ?? [];
}

describe('webhook payloads built from @octokit/webhooks-examples', () => {
  let github: LocalGitHub;
  let seed: string;

  beforeAll(async () => {
    seed = await workflowSeed({ 'ipo-phase.yml': PHASE_WORKFLOW });
    github = await startLocalGitHub({
      ...repoParams,
      tokens: ['ghs_x'],
      seed,
      app: { id: 5, installationId: 77 },
      webhookSecret: SECRET,
    });
  });

  afterAll(async () => {
    await github.close();
    await rm(seed, { recursive: true, force: true });
  });

  it('issue_comment.created keeps every key of the example and carries the local repo, issue, comment and installation', () => {
    const issue = github.createIssue({ title: 'Task 1.2', user: 'alice' });
    const comment = github.createComment(issue.number, { body: 'proceed to implementation', user: 'bob' });
    const payload = issueCommentCreated(github, { issue, comment });
    expect(missingKeys(EXAMPLES.issueCommentCreated(), payload)).toEqual([]);
    expect(leftovers(EXAMPLES.issueCommentCreated()).length).toBeGreaterThan(10);
    expect(leftovers(payload)).toEqual([]);
    expect(payload).toMatchObject({
      action: 'created',
      issue: { number: issue.number, title: 'Task 1.2', user: { login: 'alice' } },
      comment: { id: comment.id, body: 'proceed to implementation', user: { login: 'bob', type: 'User' } },
      repository: { full_name: 'octo/demo', owner: { login: 'octo' }, clone_url: github.gitUrl() },
      organization: { login: 'octo' },
      sender: { login: 'bob' },
      installation: { id: 77 },
    });
  });

  it('accepts a comment given as id, body and author only, e.g. from a bot', () => {
    const issue = github.createIssue({ title: 'x' });
    const payload = issueCommentCreated(github, {
      issue,
      comment: { id: 5, body: 'hi', user: { login: 'ipo-app[bot]', type: 'Bot' } },
      installationId: 3,
    });
    expect(payload.comment).toMatchObject({ id: 5, user: { login: 'ipo-app[bot]', type: 'Bot' } });
    expect(payload.sender.type).toBe('Bot');
    expect(payload.installation?.id).toBe(3);
  });

  it('issue_comment.edited keeps every key of the example and records the previous body', () => {
    const issue = github.createIssue({ title: 'x' });
    const comment = github.createComment(issue.number, { body: 'proceed to commit', user: 'bob' });
    const payload = issueCommentEdited(github, { issue, comment, from: 'hello' });
    expect(missingKeys(EXAMPLES.issueCommentEdited(), payload)).toEqual([]);
    expect(leftovers(payload)).toEqual([]);
    expect(payload).toMatchObject({
      action: 'edited',
      changes: { body: { from: 'hello' } },
      comment: { body: 'proceed to commit' },
    });
  });

  it('workflow_run.completed keeps every key of the example and describes the local run', async () => {
    const response = await fetch(
      `${github.apiUrl}/repos/octo/demo/actions/workflows/ipo-phase.yml/dispatches`,
      {
        method: 'POST',
        headers: { authorization: 'token ghs_x' },
        body: JSON.stringify({
          ref: 'main',
          inputs: { session: 's', phase: 'commit', 'issue-number': '3' },
          return_run_details: true,
        }),
      },
    );
    const { workflow_run_id } = (await response.json()) as { workflow_run_id: number };
    const run = github.updateRun(workflow_run_id, { status: 'completed', conclusion: 'failure' });
    const payload = workflowRunCompleted(github, { run });
    expect(missingKeys(EXAMPLES.workflowRunCompleted(), payload)).toEqual([]);
    expect(leftovers(payload)).toEqual([]);
    expect(payload).toMatchObject({
      action: 'completed',
      workflow_run: {
        id: run.id,
        status: 'completed',
        conclusion: 'failure',
        display_title: 'ipo s commit #1 (issue 3)',
      },
      workflow: { id: run.workflow_id, name: 'ipo phase', path: '.github/workflows/ipo-phase.yml' },
      repository: { full_name: 'octo/demo' },
      installation: { id: 77 },
    });
    expect(workflowRunCompleted(github, { run, conclusion: 'success' }).workflow_run.conclusion).toBe(
      'success',
    );
  });

  it('delivers with the event, delivery id and a signature the receiver can verify', async () => {
    const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(202).end('queued');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const first = await github.deliver(url, 'ping', { zen: 'Keep it logically awesome.' });
      const again = await github.deliver(url, 'ping', { zen: 'again' }, { id: first.id });
      expect(first).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 202, body: 'queued' });
      expect(again.id).toBe(first.id);
      const [delivery] = received;
      expect(delivery?.headers).toMatchObject({
        'x-github-event': 'ping',
        'x-github-delivery': first.id,
        'content-type': 'application/json',
        'user-agent': expect.stringMatching(/^GitHub-Hookshot\//),
        'x-github-hook-installation-target-id': '5',
      });
      const signature = String(delivery?.headers['x-hub-signature-256']);
      expect(await verify(SECRET, delivery?.body ?? '', signature)).toBe(true);
      expect(await verify('another secret', delivery?.body ?? '', signature)).toBe(false);
    } finally {
      server.close();
    }
  });
});
