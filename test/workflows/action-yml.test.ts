import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionParserErrors } from './official-parser.ts';
import { gh, REPO_ROOT } from './workflow-files.ts';

interface ActionManifest {
  name: string;
  description: string;
  author?: string;
  branding?: { icon?: string; color?: string };
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string };
}

const content = readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8');
const manifest = parse(content) as ActionManifest;

/** The action's input contract: name, required, default (undefined = none). The runner parses these names. */
const INPUTS: [string, boolean, string | undefined][] = [
  ['step', false, 'phase'],
  ['phase', true, undefined],
  ['session', true, undefined],
  ['attempt', false, '1'],
  ['issue-number', true, undefined],
  ['comment-id', true, undefined],
  ['previous-run-id', false, ''],
  ['approved-sha', false, ''],
  ['state-dir', false, `${gh('runner.temp')}/ipo-state`],
  ['out-dir', false, `${gh('runner.temp')}/ipo-out`],
  ['agent-dir', false, `${gh('runner.temp')}/ipo-agent`],
  ['anthropic-api-key', false, ''],
  ['github-token', false, gh('github.token')],
  ['model', false, ''],
  ['config-path', false, '.github/ipo.yml'],
  ['state-key', false, ''],
  ['workflows-write', false, 'false'],
  ['status-author', false, 'github-actions[bot]'],
];

const OUTPUTS = [
  'status',
  'verdict',
  'session',
  'artifact-name',
  'input-tokens',
  'output-tokens',
  'cache-read-tokens',
  'cost-usd',
  'head-sha',
  'state-artifact',
];

describe('action.yml', () => {
  it("passes GitHub's strict action-manifest schema", async () => {
    expect(await actionParserErrors('action.yml', content)).toEqual([]);
  });

  it("reports a manifest that GitHub's schema rejects", async () => {
    const broken = content.replace('using: node24', 'using: node14').replace('icon: layers', 'icon: rocket');
    expect(await actionParserErrors('action.yml', broken)).toHaveLength(2);
  });

  it('runs the bundled entry on node24', () => {
    expect(manifest.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('is named, described, attributed and branded', () => {
    expect(manifest.name).toBe('isolated-phase-orchestrator');
    expect(manifest.description.length).toBeGreaterThan(20);
    expect(manifest.author).toBeTruthy();
    expect(manifest.branding).toEqual({ icon: expect.any(String), color: expect.any(String) });
  });

  it('declares exactly the input contract, in order', () => {
    expect(Object.keys(manifest.inputs)).toEqual(INPUTS.map(([name]) => name));
  });

  it.each(INPUTS)('input %s: required %s, default %j, described', (name, required, defaultValue) => {
    const input = manifest.inputs[name];
    expect(input?.required).toBe(required);
    expect(input?.default).toBe(defaultValue);
    expect(input?.description?.trim().length).toBeGreaterThan(10);
  });

  it('declares exactly the output contract, in order', () => {
    expect(Object.keys(manifest.outputs)).toEqual(OUTPUTS);
  });

  it.each(OUTPUTS)('output %s is described', (name) => {
    expect(manifest.outputs[name]?.description?.trim().length).toBeGreaterThan(10);
  });
});
