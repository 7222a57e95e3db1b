import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
// The package's `if:` truthiness rule (not re-exported from its index).
import { truthy } from '@actions/expressions/result';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runName } from '../../src/core/dispatch/run-name.ts';
import { webhookExample } from '../support/github/webhook-examples.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const workflow = parse(readFileSync(join(ROOT, 'examples/workflows/ipo-app-in-actions.yml'), 'utf8')) as {
  concurrency?: unknown;
  on: Record<string, { types?: string[]; workflows?: string[] }>;
  jobs: { handle: { if: string } };
};
const phaseWorkflowName = (
  parse(readFileSync(join(ROOT, 'examples/workflows/ipo.yml'), 'utf8')) as { name: string }
).name;

/**
 * The job's `if:` as GitHub evaluates it: `@actions/expressions` is GitHub's own parser and evaluator of the
 * expression language (actions/languageservices), given the `github` context a run of this event would have.
 */
function runsFor(eventName: string, event: unknown): boolean {
  const tokens = new Lexer(workflow.jobs.handle.if).lex().tokens;
  const expr = new Parser(tokens, ['github'], []).parse();
  const github = JSON.parse(JSON.stringify({ event_name: eventName, event }), data.reviver);
  const result = new Evaluator(expr, new data.Dictionary({ key: 'github', value: github })).evaluate();
  return truthy(result);
}

const comment = (body: string, type = 'User') => {
  const payload = webhookExample('issue_comment', (e) => e.action === 'created') as {
    comment: { body: string; user: { type: string } };
  };
  payload.comment.body = body;
  payload.comment.user.type = type;
  return payload;
};

const completedRun = (fields: Record<string, unknown>) => {
  const payload = webhookExample('workflow_run', (e) => e.action === 'completed') as {
    workflow_run: Record<string, unknown>;
  };
  Object.assign(payload.workflow_run, fields);
  return payload;
};

const OURS = runName({ session: 'phase-1.3-20261204', phase: 'alignment', attempt: 1, issueNumber: 7 });

describe('the zero-infra workflow’s filters, evaluated as GitHub does on real webhook payloads', () => {
  it.each([
    ['proceed to implementation', true],
    ["I'm going to start implementation of phase 2.4", true],
    ['retry verification', true],
    ['cancel session', true],
    ['Looks good to me', false],
  ])('a person’s comment %j starts the handler: %s', (body, expected) => {
    expect(runsFor('issue_comment', comment(body))).toBe(expected);
  });

  it('a bot’s comment, even one saying a phrase, starts nothing', () => {
    expect(runsFor('issue_comment', comment('proceed to implementation', 'Bot'))).toBe(false);
  });

  it('a completed phase run is reported: its run-name is display_title, not the workflow name', () => {
    // The workflow's own `name` is "ipo": a filter on it would never see a phase run.
    expect(runsFor('workflow_run', completedRun({ name: phaseWorkflowName, display_title: OURS }))).toBe(
      true,
    );
  });

  it('a completed run of another workflow is not', () => {
    expect(runsFor('workflow_run', completedRun({ name: 'CI', display_title: 'Fix the build' }))).toBe(false);
  });

  it('listens to the phase workflow by its name, for completed runs', () => {
    expect(workflow.on.workflow_run).toEqual({ workflows: [phaseWorkflowName], types: ['completed'] });
  });

  it('has no concurrency group, which would cancel a pending command when a third event arrives', () => {
    expect(workflow.concurrency).toBeUndefined();
  });
});
