import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readStatusComment } from '../../src/github/sticky-comment.ts';
import { shortSha, terminalSafe } from '../../src/report/format.ts';
import { readZip } from '../../test/support/github/read-zip.ts';
import type { Sandbox } from './start-sandbox.ts';

const exec = promisify(execFile);

/** Every workflow run of the repository, oldest first: id, run name, status, conclusion. */
export async function renderRuns(s: Sandbox): Promise<string> {
  const runs = await listRuns(s);
  if (runs.length === 0) return '(no workflow runs)';
  return runs
    .map((r) => `${r.id}  ${r.display_title}  ${r.status ?? '?'}  ${r.conclusion ?? '-'}`)
    .join('\n');
}

/** The artifacts of one run (all runs without `runId`): names, then the files in each zip with their sizes. */
export async function renderArtifacts(s: Sandbox, runId?: number): Promise<string> {
  const runIds = runId === undefined ? (await listRuns(s)).map((r) => r.id) : [runId];
  const out: string[] = [];
  for (const id of runIds) {
    const { data } = await s.octokit.rest.actions.listWorkflowRunArtifacts({
      owner: s.owner,
      repo: s.repo,
      run_id: id,
    });
    if (runId !== undefined && data.artifacts.length === 0) out.push(`run ${id}: no artifacts`);
    for (const artifact of data.artifacts) {
      out.push(`run ${id}  ${artifact.name}`);
      const zip = await s.octokit.rest.actions.downloadArtifact({
        owner: s.owner,
        repo: s.repo,
        artifact_id: artifact.id,
        archive_format: 'zip',
      });
      for (const [file, bytes] of Object.entries(readZip(Buffer.from(zip.data as ArrayBuffer)))) {
        out.push(`    ${file}  (${bytes.length} bytes)`);
      }
    }
  }
  return out.length > 0 ? out.join('\n') : '(no artifacts)';
}

/** The session's pull requests: number, title, draft or ready, head branch and sha, base. */
export async function renderPull(s: Sandbox): Promise<string> {
  const { data } = await s.octokit.rest.pulls.list({ owner: s.owner, repo: s.repo, state: 'all' });
  if (data.length === 0) return '(no pull request yet: implementation opens a draft)';
  return data
    .map((pull) =>
      [
        `#${pull.number} ${terminalSafe(pull.title)}`,
        `    ${pull.state}, ${pull.draft ? 'draft' : 'ready for review'}`,
        `    head ${pull.head.ref} @ ${shortSha(pull.head.sha, 12)} → base ${pull.base.ref}`,
      ].join('\n'),
    )
    .join('\n');
}

/** `git log` of the session branch in the local bare repository, with the full message of its tip. */
export async function renderLog(s: Sandbox): Promise<string> {
  const marker = (await readStatusComment(s.octokit, { owner: s.owner, repo: s.repo }, s.issue, s.trust))
    ?.marker;
  if (!marker) return '(no session yet, so no session branch)';
  const git = (args: string[]) => exec('git', ['--git-dir', s.github.gitDir(), ...args]);
  const exists = await git(['rev-parse', '--verify', '--quiet', `refs/heads/${marker.branch}`]).then(
    () => true,
    () => false,
  );
  if (!exists) return `(branch ${marker.branch} does not exist yet)`;
  const { stdout: list } = await git(['log', '--format=%h %an  %s', marker.branch, '--']);
  const { stdout: tip } = await git(['log', '-1', '--format=%B', marker.branch, '--']);
  return [
    `${marker.branch}:`,
    ...list
      .trimEnd()
      .split('\n')
      .map((line) => `  ${terminalSafe(line)}`),
    '',
    'tip commit message:',
    ...terminalSafe(tip.trimEnd())
      .split('\n')
      .map((line) => `    ${line}`),
  ].join('\n');
}

async function listRuns(s: Sandbox) {
  const runs = await s.octokit.paginate(s.octokit.rest.actions.listWorkflowRunsForRepo, {
    owner: s.owner,
    repo: s.repo,
    per_page: 100,
  });
  // The API lists newest first; a terminal reads better oldest first, like the comments.
  return runs.sort((a, b) => a.id - b.id);
}
