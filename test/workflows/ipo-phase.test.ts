import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
// The package's `if:` truthiness rule (not re-exported from its index).
import { truthy } from '@actions/expressions/result';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PHASES, type Phase } from '../../src/core/phases.ts';
import {
  ACTION_REPO,
  actionName,
  allSteps,
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
const WRITE_JOBS = { report: 'report', publish: 'publish' } as const;

const agent = shipped.jobs.agent as Job;
const report = shipped.jobs.report as Job;
const publish = shipped.jobs.publish as Job;
const writeJobs = Object.entries(shipped.jobs).filter(([id]) => id in WRITE_JOBS) as [
  keyof typeof WRITE_JOBS,
  Job,
][];
const steps = agent.steps ?? [];
const writeSteps = report.steps ?? [];

function find(list: Step[], what: string, match: (s: Step) => boolean): Step {
  const step = list.find(match);
  if (!step) throw new Error(`no ${what} step in ipo-phase.yml`);
  return step;
}
const stepUsing = (name: string, list = steps) =>
  find(list, name, (s) => s.uses !== undefined && actionName(s.uses) === name);
const stepWithId = (id: string, list = steps) => find(list, id, (s) => s.id === id);
const stepNamed = (name: string, list = steps) => find(list, name, (s) => s.name === name);
const phaseStep = stepWithId('ipo');
const preflightStep = stepWithId('preflight');
const uploads = steps.filter((s) => s.uses === 'actions/upload-artifact@v7');
const writeStep = stepWithId('ipo', writeSteps);
const writePreflight = stepWithId('preflight', writeSteps);
const sandboxSetup = stepNamed('Set up the sandbox (bubblewrap, AppArmor userns profile)');
const sandboxProbe = stepNamed('Check the sandbox starts');
/** Every value a step is handed: its `with:` and `env:`, and its script. */
/**
 * A step's `if:` as GitHub evaluates it, with `@actions/expressions` (GitHub's own parser and evaluator) given the
 * run's `inputs`. A step without one runs (on success, which these first steps always are).
 */
function stepRuns(step: Step, inputs: Record<string, string>): boolean {
  if (step.if === undefined) return true;
  const expr = new Parser(new Lexer(String(step.if)).lex().tokens, ['inputs'], []).parse();
  const context = new data.Dictionary({
    key: 'inputs',
    value: JSON.parse(JSON.stringify(inputs), data.reviver),
  });
  return truthy(new Evaluator(expr, context).evaluate());
}

const handles = (step: Step) => JSON.stringify([step.with ?? {}, step.env ?? {}, step.run ?? '']);

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
  });

  it("hands the model key to the agent job's phase step only, and the state key to the write jobs only", () => {
    const using = (secret: string) =>
      allSteps(shipped)
        .filter(({ step }) => handles(step).includes(`secrets.${secret}`))
        .map(({ jobId, step }) => `${jobId}: ${step.name}`);
    expect(using('ANTHROPIC_API_KEY')).toEqual(['agent: Run the phase']);
    expect(using('IPO_STATE_KEY')).toEqual([
      'report: Check the dispatch',
      'report: Check and publish the result',
      'publish: Check the dispatch',
      'publish: Check and publish the result',
    ]);
    expect(phaseStep.with?.['anthropic-api-key']).toBe(gh('secrets.ANTHROPIC_API_KEY'));
    expect(writeStep.with?.['state-key']).toBe(gh('secrets.IPO_STATE_KEY'));
  });

  it('gives the job that runs the model a read-only token: no contents, PR or issue writes', () => {
    expect(agent.permissions).toEqual({
      contents: 'read',
      issues: 'read',
      'pull-requests': 'read',
      actions: 'read',
    });
  });

  // A Record over Phase: a new phase does not compile until it is placed in a write job.
  const JOB_FOR: Record<Phase, keyof typeof WRITE_JOBS> = {
    alignment: 'report',
    implementation: 'publish',
    verification: 'report',
    commit: 'publish',
  };
  const PHASE_ROWS: [string, string][] = [
    ...PHASES.map((p): [string, string] => [p, JOB_FOR[p]]),
    ['no-such-phase', 'report'],
  ];
  it.each(PHASE_ROWS)(
    'writes the result of %s in the %s job only, after the agent job',
    (phase, expected) => {
      const running = writeJobs.filter(([, job]) => jobRunsFor(job.if ?? '', phase)).map(([id]) => id);
      expect(running).toEqual([expected]);
      expect(shipped.jobs[expected]?.needs).toBe('agent');
      // Also when the agent job failed: a failed phase is recorded and reported, but never after a cancel.
      expect(shipped.jobs[expected]?.if).toContain("!cancelled() && needs.agent.outputs.status != ''");
    },
  );

  it('gives write access to contents and PRs only to the write job that pushes', () => {
    expect(report.permissions).toEqual({
      contents: 'read',
      issues: 'write',
      'pull-requests': 'read',
      actions: 'read',
    });
    expect(publish.permissions).toEqual({
      contents: 'write',
      issues: 'write',
      'pull-requests': 'write',
      actions: 'read',
    });
  });

  it('runs the same steps in both write jobs', () => {
    expect(publish.steps).toEqual(report.steps);
    expect(publish.outputs).toEqual(report.outputs);
  });

  it('runs no model, no repository code and no shell in the write jobs: checkout, artifacts and the released action only', () => {
    for (const step of writeSteps) {
      expect(step.run).toBeUndefined();
      expect(actionName(step.uses ?? '')).toMatch(
        /^(actions\/checkout|actions\/download-artifact|actions\/upload-artifact|OWNER\/isolated-phase-orchestrator)$/,
      );
      expect(handles(step)).not.toContain('ANTHROPIC_API_KEY');
    }
    expect(writeStep.with?.step).toBe('write');
  });

  it('sets up the sandbox before any step that handles a secret or the token, and a failed probe fails the job', () => {
    const at = (step: Step) => steps.indexOf(step);
    expect(at(sandboxSetup)).toBe(0);
    expect(at(sandboxProbe)).toBe(1);
    for (const step of [sandboxSetup, sandboxProbe]) {
      expect(handles(step)).not.toMatch(/secrets\.|github\.token/);
      expect(step.uses).toBeUndefined();
      // No continue-on-error: a runner where bwrap cannot start ends the job here.
      expect(step['continue-on-error']).toBeUndefined();
    }
    // Everything after them handles the token (checkout's default) or a secret.
    expect(steps.slice(2).every((step) => step.uses !== undefined)).toBe(true);
  });

  it.each([
    ['implementation', true],
    ['verification', true],
    ['alignment', false],
    ['commit', false],
    // GitHub compares strings ignoring case; the action refuses any phase name but the four anyway.
    ['Implementation', true],
  ])(
    'sets up and probes the sandbox only for a phase that runs untrusted commands: %s → %s',
    (phase, runs) => {
      for (const step of [sandboxSetup, sandboxProbe])
        expect(stepRuns(step, { phase }), step.name).toBe(runs);
    },
  );

  it('installs bubblewrap if missing and grants only /usr/bin/bwrap user namespaces, where AppArmor is active', () => {
    const script = sandboxSetup.run ?? '';
    expect(script).toContain('set -euo pipefail');
    expect(script).toMatch(
      /if ! command -v bwrap .*\n\s+sudo apt-get update -qq\n\s+sudo apt-get install -y -qq bubblewrap/,
    );
    expect(script).toMatch(/if \[ -d \/sys\/kernel\/security\/apparmor \] && command -v apparmor_parser/);
    for (const line of [
      "'abi <abi/4.0>,'",
      "'include <tunables/global>'",
      "'profile bwrap /usr/bin/bwrap flags=(unconfined) {'",
      "'  userns,'",
    ])
      expect(script).toContain(line);
    expect(script).toContain('sudo tee /etc/apparmor.d/bwrap');
    expect(script).toContain('sudo apparmor_parser -r /etc/apparmor.d/bwrap');
    // The narrow fix, never the global switch.
    expect(script).not.toContain('apparmor_restrict_unprivileged_userns');
  });

  it("probes the sandbox fail-closed, leaving bwrap's own error in the log", () => {
    const script = sandboxProbe.run ?? '';
    expect(script).toContain('if ! bwrap --ro-bind / / --unshare-all true; then');
    expect(script).toMatch(/exit 1\n\s*fi/);
    // Not redirected: bwrap's stderr is the diagnosis.
    expect(script).not.toMatch(/bwrap[^\n]*2>/);
  });

  it.each([
    ['agent', steps],
    ['write', writeSteps],
  ])('checks out the approved commit with full history and no persisted credentials (%s job)', (_, list) => {
    expect(stepUsing('actions/checkout', list).with).toEqual({
      ref: gh('inputs.approved-sha'),
      'fetch-depth': 0,
      'persist-credentials': false,
    });
  });

  it.each([
    ['preflight', preflightStep],
    ['phase', phaseStep],
    ['write preflight', writePreflight],
    ['write', writeStep],
  ])("runs the released action for the %s step, never the checked-out session branch's code", (_, step) => {
    expect(step.uses).toMatch(new RegExp(`^${ACTION_REPO}@v\\d+$`));
  });

  it.each([
    ['preflight', preflightStep],
    ['phase', phaseStep],
    ['write preflight', writePreflight],
    ['write', writeStep],
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

  it.each([
    ['agent', steps],
    ['write', writeSteps],
  ])(
    'checks the dispatch before anything is downloaded, always, and without the model key (%s job)',
    (_, list) => {
      const preflight = stepWithId('preflight', list);
      const at = (step: Step) => list.indexOf(step);
      const downloads = list.filter((s) => s.uses === 'actions/download-artifact@v8');
      for (const d of downloads) expect(at(preflight)).toBeLessThan(at(d));
      expect(at(downloads.at(-1) as Step)).toBeLessThan(at(stepWithId('ipo', list)));
      // Only the sandbox set-up and the checkout (which read no artifact) run before it.
      expect(
        list.slice(0, at(preflight)).every((s) => s.uses === undefined || s.uses === 'actions/checkout@v5'),
      ).toBe(true);
      expect(preflight.if).toBeUndefined();
      expect(preflight.with).toMatchObject({
        step: 'preflight',
        'previous-run-id': gh('inputs.previous-run-id'),
        'comment-id': gh('inputs.comment-id'),
      });
      expect(preflight.with?.['anthropic-api-key']).toBeUndefined();
    },
  );

  it('gives the agent job no state key anywhere, and its phase step no write step', () => {
    expect(JSON.stringify(agent)).not.toContain('IPO_STATE_KEY');
    expect(phaseStep.with?.step).toBeUndefined();
    expect(phaseStep.with?.['state-key']).toBeUndefined();
  });

  it.each([
    ['agent', steps],
    ['write', writeSteps],
  ])(
    'downloads exactly the one state artifact the preflight named, from the run it checked, where the action reads it (%s job)',
    (_, list) => {
      const d = stepNamed("Download the previous phase's state", list);
      expect(d.if).toBe("steps.preflight.outputs.state-artifact != ''");
      expect(d.with).toEqual({
        name: gh('steps.preflight.outputs.state-artifact'),
        'run-id': gh('inputs.previous-run-id'),
        'github-token': gh('github.token'),
        path: stepWithId('ipo', list).with?.['state-dir'],
      });
    },
  );

  it("hands the agent job's output to the write job by its exact name, from this run, where the write step reads it", () => {
    const [agentUpload] = uploads;
    expect(expand(String(agentUpload?.with?.name), RUN)).toBe('ipo-phase-2.4-20260115-verification-2-agent');
    expect(agentUpload?.if).toBe(gh("!cancelled() && steps.ipo.outputs.status != ''"));
    expect(String(agentUpload?.with?.path).trim().split('\n')).toEqual([
      phaseStep.with?.['out-dir'],
      `!${phaseStep.with?.['out-dir']}/transcript-*.json`,
    ]);
    expect(stepNamed("Download the agent's output", writeSteps).with).toEqual({
      name: agentUpload?.with?.name,
      'run-id': gh('github.run_id'),
      'github-token': gh('github.token'),
      path: writeStep.with?.['agent-dir'],
    });
  });

  it('hands the phase and write steps the comment id, and no input that could stand in for an approval', () => {
    for (const step of [phaseStep, writeStep]) {
      expect(step.with?.['comment-id']).toBe(gh('inputs.comment-id'));
      for (const name of ['requested-by', 'comment-url', 'feedback'])
        expect(step.with?.[name]).toBeUndefined();
    }
  });

  it('uploads the state as ipo-<session>-<phase>-<attempt> from the write job whenever it reported an outcome', () => {
    const state = stepUsing('actions/upload-artifact', writeSteps);
    expect(expand(String(state?.with?.name), RUN)).toBe('ipo-phase-2.4-20260115-verification-2');
    expect(state?.if).toBe(gh("!cancelled() && steps.ipo.outputs.status != ''"));
    expect(state?.with?.['if-no-files-found']).toBe('error');
    expect(state?.with?.path).toBe(writeStep.with?.['out-dir']);
    // The agent job uploads nothing under the name the next phase imports.
    for (const upload of uploads)
      expect(expand(String(upload.with?.name), RUN)).not.toBe('ipo-phase-2.4-20260115-verification-2');
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
    for (const job of [agent, report, publish]) {
      for (const [scope, value] of Object.entries(job.permissions as Record<string, string>)) {
        expect(level(granted[scope]), scope).toBeGreaterThanOrEqual(level(value));
      }
    }
  });

  it('declares no concurrency group of its own (the same group in caller and callee deadlocks)', () => {
    expect(example.concurrency).toBeUndefined();
  });
});
