import { describe, expect, it } from 'vitest';
import { workflowParserErrors } from './official-parser.ts';
import {
  actionlintFindings,
  actionName,
  allSteps,
  listWorkflowFiles,
  type Workflow,
} from './workflow-files.ts';

const files = listWorkflowFiles();
const cases = files.map((f) => [f.path, f] as const);
const jobs = files.flatMap((f) =>
  Object.entries(f.workflow.jobs).map(([id, job]) => [f.path, id, job] as const),
);
const steps = files.flatMap((f) => allSteps(f.workflow).map(({ jobId, step }) => ({ file: f, jobId, step })));
const runSteps = steps
  .filter(({ step }) => step.run !== undefined)
  .map(({ file, jobId, step }) => [file.path, jobId, step.name ?? step.run, step, file.workflow] as const);

/** `[path, job, step label, step]` rows for the steps using `action` (any version). */
function stepsOf(action: string) {
  return steps
    .filter(({ step }) => step.uses !== undefined && (action === '*' || actionName(step.uses) === action))
    .map(({ file, jobId, step }) => [file.path, jobId, step.name ?? (step.uses as string), step] as const);
}

/** Every `uses:`, of steps and of jobs calling a reusable workflow. */
function allUses() {
  const jobUses = jobs
    .filter(([, , job]) => job.uses)
    .map(([path, id, job]) => [path, id, job.uses as string] as const);
  return [...stepsOf('*').map(([path, id, , step]) => [path, id, step.uses as string] as const), ...jobUses];
}

// A workflow with a typo'd key: proves both linters actually report problems, so "no findings" below means something.
const BROKEN = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n';

/** Permission values a workflow may grant at the top level: nothing that writes. */
function isReadOnly(permissions: Workflow['permissions']): boolean {
  if (permissions === undefined) return false; // the repository default may be write-all
  if (typeof permissions === 'string') return permissions === 'read-all';
  return Object.values(permissions).every((level) => level === 'read' || level === 'none');
}

describe('workflow files', () => {
  it('finds the shipped workflows, the CI and the caller example', () => {
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/ipo-phase.yml',
        'examples/workflows/ipo.yml',
      ]),
    );
  });

  it('reports a broken workflow through both GitHub’s parser and actionlint', async () => {
    expect(await workflowParserErrors('broken.yml', BROKEN)).toEqual([expect.stringContaining("'stepz'")]);
    expect(await actionlintFindings('broken.yml', BROKEN)).toContainEqual(expect.stringContaining('stepz'));
  });

  it.each(cases)('%s parses with @actions/workflow-parser without errors', async (path, file) => {
    expect(await workflowParserErrors(path, file.content)).toEqual([]);
  });

  it.each(cases)('%s passes actionlint', async (path, file) => {
    expect(await actionlintFindings(path, file.content)).toEqual([]);
  });

  it.each(cases)('%s grants nothing writable at the top level', (_, file) => {
    expect(isReadOnly(file.workflow.permissions)).toBe(true);
  });

  it.each(jobs)('%s job %s declares its own permissions', (_, __, job) => {
    expect(job.permissions).toBeTypeOf('object');
  });

  // A job that calls a reusable workflow cannot set a timeout; the called workflow's jobs carry it.
  it.each(jobs.filter(([, , job]) => job.uses === undefined))(
    '%s job %s has timeout-minutes',
    (_, __, job) => {
      expect(job['timeout-minutes']).toBeGreaterThan(0);
    },
  );

  it.each(runSteps)(
    '%s job %s: run step %j expands no expression (untrusted text goes through env:)',
    (_, __, ___, step) => {
      expect(step.run).not.toContain('${{');
    },
  );

  it.each(runSteps)('%s job %s: run step %j runs under bash', (_, __, ___, step, workflow) => {
    expect(step.shell ?? workflow.defaults?.run?.shell).toBe('bash');
  });

  it.each(allUses())('%s job %s: %s is pinned to a release tag or a commit', (_, __, uses) => {
    expect(uses).toMatch(/^(\.\/[\w./-]*|[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40}))$/);
  });

  it.each(stepsOf('actions/checkout'))('%s job %s: %j persists no credentials', (_, __, ___, step) => {
    expect(step.with?.['persist-credentials']).toBe(false);
  });

  it.each(stepsOf('actions/download-artifact'))(
    '%s job %s: %j is v8 with run-id and a token',
    (_, __, ___, step) => {
      expect(step.uses).toBe('actions/download-artifact@v8');
      expect(step.with).toMatchObject({ 'run-id': expect.any(String), 'github-token': expect.any(String) });
    },
  );

  it.each(stepsOf('actions/upload-artifact'))('%s job %s: %j is upload-artifact@v7', (_, __, ___, step) => {
    expect(step.uses).toBe('actions/upload-artifact@v7');
  });
});
