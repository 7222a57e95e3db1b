import { describe, expect, it } from 'vitest';
import { resolveDispatchInputs } from './dispatch-inputs.ts';
import { expandExpressions } from './expand-expressions.ts';
import { parseWorkflow } from './parse-workflow.ts';

const WORKFLOW = `
name: ipo phase
run-name: "ipo \${{ inputs.session }} \${{ inputs.phase }} #\${{ inputs.attempt }} (issue \${{ inputs.issue-number }})"
on:
  workflow_dispatch:
    inputs:
      session: { required: true, type: string }
      phase: { required: true, type: choice, options: [alignment, implementation] }
      attempt: { required: true, type: string, default: "1" }
      issue-number: { required: true }
      dry-run: { type: boolean }
`;

describe('workflow files', () => {
  it('reads the name, run-name and dispatch inputs', () => {
    const file = parseWorkflow(WORKFLOW);
    expect(file.name).toBe('ipo phase');
    expect(file.runName).toContain(`\${{ inputs.session }}`);
    expect(file.dispatchInputs).toEqual({
      session: { required: true, type: 'string' },
      phase: { required: true, type: 'choice', options: ['alignment', 'implementation'] },
      attempt: { required: true, type: 'string', default: '1' },
      'issue-number': { required: true, type: 'string' },
      'dry-run': { required: false, type: 'boolean' },
    });
  });

  it.each([
    ['on: push', undefined],
    ['on: workflow_dispatch', {}],
    ['on: [push, workflow_dispatch]', {}],
    ['on:\n  workflow_dispatch:\n  push:', {}],
  ])('finds the dispatch trigger in %j', (yaml, expected) => {
    expect(parseWorkflow(`name: x\n${yaml}\n`).dispatchInputs).toEqual(expected);
  });

  it('refuses a file that is not a mapping', () => {
    expect(() => parseWorkflow('- just\n- a list\n')).toThrow('not a YAML mapping');
  });
});

describe('dispatch inputs', () => {
  const declared = parseWorkflow(WORKFLOW).dispatchInputs ?? {};
  const valid = { session: 's-1', phase: 'alignment', 'issue-number': '7' };

  it('adds the declared defaults to the given values', () => {
    expect(resolveDispatchInputs(declared, valid, 10)).toEqual({ ...valid, attempt: '1', 'dry-run': false });
    expect(resolveDispatchInputs(declared, { ...valid, 'dry-run': 'true' }, 10)['dry-run']).toBe(true);
  });

  it.each([
    ['too many inputs', { ...valid, a: '1', b: '2' }, 4, 'you may only define up to 4 `inputs`'],
    ['an undeclared input', { ...valid, extra: 'x' }, 10, 'Unexpected inputs provided: ["extra"]'],
    [
      'a missing required input',
      { session: 's', phase: 'alignment' },
      10,
      "Required input 'issue-number' not provided",
    ],
    [
      'a choice outside its options',
      { ...valid, phase: 'deploy' },
      10,
      "Provided value 'deploy' for input 'phase'",
    ],
    ['a boolean that is not one', { ...valid, 'dry-run': 'yes' }, 10, 'is not a valid boolean'],
    ['an object value', { ...valid, session: { a: 1 } }, 10, 'must be a string, number or boolean'],
    ['inputs that are not an object', ['x'], 10, 'is not an object'],
  ])('refuses %s with 422', (_case, given, max, message) => {
    expect(() => resolveDispatchInputs(declared, given, max)).toThrow(
      expect.objectContaining({ status: 422, message: expect.stringContaining(message) }),
    );
  });
});

describe('run-name expressions', () => {
  const context = { inputs: { session: 's-1', 'issue-number': 7, flag: false }, github: { actor: 'alice' } };

  it.each([
    [`ipo \${{ inputs.session }} (issue \${{inputs.issue-number}})`, 'ipo s-1 (issue 7)'],
    [`by \${{ github.actor }}`, 'by alice'],
    [`\${{ inputs.flag }}`, 'false'],
    [`[\${{ inputs.missing }}]`, '[]'],
    ['no expressions', 'no expressions'],
  ])('expands %j to %j', (template, expected) => {
    expect(expandExpressions(template, context)).toBe(expected);
  });

  it.each([`\${{ format('{0}', inputs.session) }}`, `\${{ inputs.a || inputs.b }}`])(
    'refuses %j, which needs an evaluator',
    (template) => {
      expect(() => expandExpressions(template, context)).toThrow('only property lookups are supported');
    },
  );
});
