import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PHASES, type Phase } from '../../src/core/phases.ts';
import {
  ACTION_REPO,
  actionName,
  gh,
  type Job,
  jobRunsFor,
  REPO_ROOT,
  readWorkflowFile,
  type Step,
} from './workflow-files.ts';

const shipped = readWorkflowFile('.github/workflows/ipo-phase.yml').workflow;
const example = readWorkflowFile('examples/workflows/ipo.yml').workflow;
const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, unknown>;
};

/** What the app sends with every dispatch; GitHub allows at most 10 workflow_dispatch inputs. */
const DISPATCH_INPUTS = [
  'session',
  'phase',
  'attempt',
  'previous-run-id',
  'issue-number',
  'approved-sha',
  'comment-id',
];
const RUN_NAME = `ipo ${gh('inputs.session')} ${gh('inputs.phase')} #${gh('inputs.attempt')} (issue ${gh('inputs.issue-number')})`;
const PHASE_JOBS = { 'read-only-phase': 'read-only', 'writing-phase': 'writing' } as const;

const jobs = Object.entries(shipped.jobs) as [keyof typeof PHASE_JOBS, Job][];
const readOnly = shipped.jobs['read-only-phase'] as Job;
const writing = shipped.jobs['writing-phase'] as Job;
const steps = readOnly.steps ?? [];

function stepUsing(name: string): Step {
  const step = steps.find((s) => s.uses !== undefined && actionName(s.uses) === name);
  if (!step) throw new Error(`no ${name} step in ipo-phase.yml`);
  return step;
}
function stepWithId(id: string): Step {
  const step = steps.find((s) => s.id === id);
  if (!step) throw new Error(`no step with id ${id} in ipo-phase.yml`);
  return step;
}
const phaseStep = stepWithId('ipo');
const preflightStep = stepWithId('preflight');
const download = stepUsing('actions/download-artifact');
const uploads = steps.filter((s) => s.uses === 'actions/upload-artifact@v7');

/** Fills `${{ inputs.x }}` the way GitHub would, for checking names and patterns against concrete values. */
function expand(template: string, inputs: Record<string, string>): string {
  return template.replace(/\$\{\{ inputs\.([\w-]+) \}\}/g, (_, name: string) => inputs[name] ?? '');
}
const RUN = { session: 'phase-2.4-20260115', phase: 'verification', attempt: '2', 'issue-number': '7' };

const LEVELS = ['none', 'read', 'write'];
const level = (value: string | undefined) => LEVELS.indexOf(value ?? 'none');

describe.each([
  ['ipo-phase.yml', shipped],
  ['the caller example', example],
])('%s, as the app dispatches it', (_, workflow) => {
  it('takes exactly the dispatch inputs, at most 10', () => {
    const inputs = Object.keys(workflow.on.workflow_dispatch?.inputs ?? {});
    expect(inputs).toEqual(DISPATCH_INPUTS);
    expect(inputs.length).toBeLessThanOrEqual(10);
  });

  it('offers exactly the four phases as choices', () => {
    expect(workflow.on.workflow_dispatch?.inputs?.phase).toMatchObject({
      type: 'choice',
      options: [...PHASES],
    });
  });

  it('names each run "ipo <session> <phase> #<attempt>" so workflow_run events map back to the session', () => {
    expect(workflow['run-name']).toBe(RUN_NAME);
    expect(expand(RUN_NAME, RUN)).toBe('ipo phase-2.4-20260115 verification #2 (issue 7)');
  });
});

describe('ipo-phase.yml', () => {
  it('runs one phase per session at a time and never cancels a running one', () => {
    expect(shipped.concurrency).toEqual({
      group: `ipo-${gh('inputs.session')}`,
      'cancel-in-progress': false,
    });
  });

  it('is reusable with the same inputs and requirements, and only the model key and the state key as secrets', () => {
    const call = shipped.on.workflow_call;
    const dispatch = shipped.on.workflow_dispatch?.inputs ?? {};
    expect(Object.keys(call?.inputs ?? {})).toEqual(DISPATCH_INPUTS);
    for (const name of DISPATCH_INPUTS) expect(call?.inputs?.[name]?.required).toBe(dispatch[name]?.required);
    expect(call?.secrets).toEqual({
      ANTHROPIC_API_KEY: expect.objectContaining({ required: true }),
      // Optional: without it the status comment is unsigned and the job warns.
      IPO_STATE_KEY: expect.objectContaining({ required: false }),
    });
    expect(phaseStep.with?.['anthropic-api-key']).toBe(gh('secrets.ANTHROPIC_API_KEY'));
    expect(phaseStep.with?.['state-key']).toBe(gh('secrets.IPO_STATE_KEY'));
  });

  // A Record over Phase: a new phase does not compile until it is placed in a job.
  const JOB_FOR: Record<Phase, 'read-only' | 'writing'> = {
    alignment: 'read-only',
    implementation: 'writing',
    verification: 'read-only',
    commit: 'writing',
  };
  const PHASE_ROWS: [string, string][] = [
    ...PHASES.map((p): [string, string] => [p, JOB_FOR[p]]),
    ['no-such-phase', 'read-only'],
  ];
  it.each(PHASE_ROWS)('runs %s in the %s job only', (phase, expected) => {
    const running = jobs.filter(([, job]) => jobRunsFor(job.if ?? '', phase)).map(([id]) => PHASE_JOBS[id]);
    expect(running).toEqual([expected]);
  });

  it('gives write access to contents and PRs only to the job that pushes', () => {
    expect(readOnly.permissions).toEqual({
      contents: 'read',
      issues: 'write',
      'pull-requests': 'read',
      actions: 'read',
    });
    expect(writing.permissions).toEqual({
      contents: 'write',
      issues: 'write',
      'pull-requests': 'write',
      actions: 'read',
    });
  });

  it('runs the same steps in both jobs', () => {
    expect(writing.steps).toEqual(readOnly.steps);
    expect(writing.outputs).toEqual(readOnly.outputs);
  });

  it('checks out the approved commit with full history', () => {
    expect(stepUsing('actions/checkout').with).toMatchObject({
      ref: gh('inputs.approved-sha'),
      'fetch-depth': 0,
      'persist-credentials': false,
    });
  });

  it.each([
    ['preflight', preflightStep],
    ['phase', phaseStep],
  ])("runs the released action for the %s step, never the checked-out session branch's code", (_, step) => {
    expect(step.uses).toMatch(new RegExp(`^${ACTION_REPO}@v\\d+$`));
  });

  it.each([
    ['preflight', preflightStep],
    ['phase', phaseStep],
  ])('passes the %s step only inputs the action declares, and every required one', (_, step) => {
    const given = Object.keys(step.with ?? {});
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(given));
    const required = Object.entries(action.inputs).filter(([, input]) => input.required);
    for (const [name] of required) expect(given).toContain(name);
  });

  it('reads only outputs the action declares', () => {
    const refs = [...JSON.stringify(shipped).matchAll(/steps\.(?:ipo|preflight)\.outputs\.([\w-]+)/g)].map(
      (m) => m[1],
    );
    expect(refs).toContain('state-artifact');
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(refs));
  });

  it('checks the dispatch before anything is downloaded, always, and without the model key', () => {
    const at = (step: Step) => steps.indexOf(step);
    expect(at(preflightStep)).toBeLessThan(at(download));
    expect(at(download)).toBeLessThan(at(phaseStep));
    // Only the checkout (which reads no artifact) runs before it.
    expect(steps.slice(0, at(preflightStep))).toEqual([stepUsing('actions/checkout')]);
    expect(preflightStep.if).toBeUndefined();
    expect(preflightStep.with).toMatchObject({
      step: 'preflight',
      'previous-run-id': gh('inputs.previous-run-id'),
      'comment-id': gh('inputs.comment-id'),
    });
    expect(preflightStep.with?.['anthropic-api-key']).toBeUndefined();
    expect(phaseStep.with?.step).toBeUndefined();
  });

  it('downloads exactly the one state artifact the preflight named, from the run it checked, where the action reads it', () => {
    expect(download.if).toBe("steps.preflight.outputs.state-artifact != ''");
    expect(download.with).toEqual({
      name: gh('steps.preflight.outputs.state-artifact'),
      'run-id': gh('inputs.previous-run-id'),
      'github-token': gh('github.token'),
      path: phaseStep.with?.['state-dir'],
    });
  });

  it('hands the phase step the comment id, and no input that could stand in for an approval', () => {
    expect(phaseStep.with?.['comment-id']).toBe(gh('inputs.comment-id'));
    for (const name of ['requested-by', 'comment-url', 'feedback'])
      expect(phaseStep.with?.[name]).toBeUndefined();
  });

  it('uploads the state as ipo-<session>-<phase>-<attempt> whenever the phase reported an outcome', () => {
    const [state] = uploads;
    expect(expand(String(state?.with?.name), RUN)).toBe('ipo-phase-2.4-20260115-verification-2');
    expect(state?.if).toBe(gh("!cancelled() && steps.ipo.outputs.status != ''"));
    expect(state?.with?.['if-no-files-found']).toBe('error');
    expect(String(state?.with?.path).trim().split('\n')).toEqual([
      phaseStep.with?.['out-dir'],
      `!${phaseStep.with?.['out-dir']}/transcript-*.json`,
    ]);
  });

  it('uploads the redacted transcript separately, even when the phase fails', () => {
    const transcript = uploads[1];
    expect(transcript?.if).toBe('always()');
    expect(expand(String(transcript?.with?.name), RUN)).toBe(
      'ipo-phase-2.4-20260115-verification-2-transcript',
    );
    const glob = String(transcript?.with?.path);
    expect(glob.startsWith(`${phaseStep.with?.['out-dir']}/`)).toBe(true);
    // The name runPhaseJob writes (src/job/run-phase-job.ts): transcript-<phase>-<attempt>.json.
    expect(picomatch(glob.split('/').at(-1) ?? '')('transcript-verification-2.json')).toBe(true);
  });
});

describe('the caller example', () => {
  const [[, call]] = Object.entries(example.jobs) as [[string, Job]];
  const callee = shipped.on.workflow_call;

  it('calls the released reusable workflow', () => {
    expect(call.uses).toMatch(new RegExp(`^${ACTION_REPO}/\\.github/workflows/ipo-phase\\.yml@v\\d+$`));
  });

  it('passes every input straight through', () => {
    expect(call.with).toEqual(Object.fromEntries(DISPATCH_INPUTS.map((n) => [n, gh(`inputs.${n}`)])));
    expect(Object.keys(call.with ?? {})).toEqual(Object.keys(callee?.inputs ?? {}));
  });

  it('hands over only the declared secrets, not every repository secret', () => {
    expect(call.secrets).toEqual({
      ANTHROPIC_API_KEY: gh('secrets.ANTHROPIC_API_KEY'),
      IPO_STATE_KEY: gh('secrets.IPO_STATE_KEY'),
    });
  });

  it('grants at least what each called job asks for (a called job cannot exceed its caller)', () => {
    const granted = call.permissions as Record<string, string>;
    for (const job of [readOnly, writing]) {
      for (const [scope, value] of Object.entries(job.permissions as Record<string, string>)) {
        expect(level(granted[scope]), scope).toBeGreaterThanOrEqual(level(value));
      }
    }
  });

  it('declares no concurrency group of its own (the same group in caller and callee deadlocks)', () => {
    expect(example.concurrency).toBeUndefined();
  });
});
