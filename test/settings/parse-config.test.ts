import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/settings/parse-config.ts';
import { PHASE_DEFAULTS } from '../../src/state/config.ts';
import { ConfigError, StateError } from '../../src/state/state-error.ts';

function configError(text: string, file?: string): ConfigError {
  try {
    parseConfig(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(StateError);
    return error as ConfigError;
  }
  throw new Error('expected parseConfig to throw');
}

describe('parseConfig', () => {
  it.each(['', '# only a comment\n', '---\n'])('gives every default for an empty file (%j)', (text) => {
    const config = parseConfig(text);
    expect(config).toMatchObject({
      spec: 'docs/SPEC.md',
      approvers: [],
      requireDistinctApprover: false,
      verification: { commands: ['npm test'] },
      commit: { type: 'feat', assistedBy: true },
      allowForks: false,
    });
    expect(config.phases.implementation).toEqual(PHASE_DEFAULTS.implementation);
    expect(config.commit.scope).toBeUndefined();
  });

  it('keeps given values and fills the rest of a partly configured phase', () => {
    const config = parseConfig(
      [
        'approvers: [alice, bob]',
        'phases:',
        '  alignment:',
        '    model: claude-opus-4-5',
        '    maxTurns: 12',
        'verification:',
        '  commands: ["npm ci", "npm test"]',
        'commit: { type: fix, scope: auth, assistedBy: false }',
      ].join('\n'),
    );
    expect(config.approvers).toEqual(['alice', 'bob']);
    expect(config.phases.alignment).toEqual({
      ...PHASE_DEFAULTS.alignment,
      model: 'claude-opus-4-5',
      maxTurns: 12,
    });
    expect(config.verification).toEqual({
      commands: ['npm ci', 'npm test'],
      setup: 'auto',
      timeoutSeconds: 900,
    });
    expect(config.commit).toEqual({ type: 'fix', scope: 'auth', assistedBy: false });
  });

  it.each([
    ['aproovers: [alice]', '.github/ipo.yml: unknown key "aproovers" (did you mean "approvers"?)'],
    [
      'phases:\n  alignment:\n    maxTurn: 3',
      '.github/ipo.yml: phases.alignment: unknown key "maxTurn" (did you mean "maxTurns"?)',
    ],
    ['phases:\n  review: {}', '.github/ipo.yml: phases: unknown key "review"'],
    // The approval phrases are fixed: a key to change them would be read by nobody.
    [
      'phrases:\n  commit: ship it',
      '.github/ipo.yml: phrases: the approval phrases are fixed (`proceed to implementation`, ' +
        '`proceed to verification`, `proceed to commit`): remove `phrases`',
    ],
    [
      'phases:\n  alignment:\n    maxTurns: many',
      '.github/ipo.yml: phases.alignment.maxTurns: expected number, got string',
    ],
    [
      'phases:\n  commit:\n    wallTimeSeconds: 1.5',
      '.github/ipo.yml: phases.commit.wallTimeSeconds: expected an integer, got 1.5',
    ],
    ['allowForks: "yes"', '.github/ipo.yml: allowForks: expected boolean, got string'],
    [
      'phases:\n  implementation:\n    context: { strategy: server }',
      '.github/ipo.yml: phases.implementation.context.strategy: "server" (the API\'s own context editing, ' +
        '`clear_tool_uses_20250919`) is not supported yet: the replay server cannot measure it offline. ' +
        'Use "clear-tool-results" or "off"',
    ],
    [
      'phases:\n  verification:\n    context: { triggerTokens: 8000, targetTokens: 8000 }',
      '.github/ipo.yml: phases.verification.context.targetTokens: targetTokens must be below triggerTokens, ' +
        'or every turn would clear (and rewrite the prompt cache)',
    ],
    [
      'commit:\n  type: feature',
      '.github/ipo.yml: commit.type: expected one of "feat", "fix", "refactor", "perf", "docs", "test", "build", "ci", "chore", "style", "revert", got "feature"',
    ],
    [
      'verification:\n  commands: npm test',
      '.github/ipo.yml: verification.commands: expected an array, got string',
    ],
    [
      'approvers: [alice, ""]',
      '.github/ipo.yml: approvers[1]: expected a non-empty string, got 0 characters',
    ],
  ])('explains %j', (text, message) => {
    const error = configError(text);
    expect(error.message).toBe(message);
    expect(error.code).toBe('invalid');
  });

  // Probot's config plugin would merge another repository's file under this one (`owner/repo[:path]`): settings
  // written by people with no access here, that no job reads. Refused whatever it names, with the fix.
  it.each([
    ['_extends: other-org/.github', '"other-org/.github"'],
    ['_extends: octo/.github', '"octo/.github"'],
    ['_extends: .github', '".github"'],
    [
      '_extends: other-org/settings:.github/ipo.yml\napprovers: [alice]',
      '"other-org/settings:.github/ipo.yml"',
    ],
  ])('refuses %j and says to inline the settings', (text, named) => {
    const error = configError(text);
    expect(error.message).toBe(
      `.github/ipo.yml: _extends: ipo does not read settings from another repository (it names ${named}): ` +
        'copy the settings you need into .github/ipo.yml on the default branch and remove `_extends`',
    );
    expect(error).toMatchObject({ code: 'invalid', path: '_extends' });
  });

  it('refuses `_extends` that is not a string too, before the schema would call it an unknown key', () => {
    expect(configError('_extends: [a, b]').message).toBe(
      '.github/ipo.yml: _extends: ipo does not read settings from another repository: ' +
        'copy the settings you need into .github/ipo.yml on the default branch and remove `_extends`',
    );
  });

  it('reports every problem, one line each, and the first one in the fields', () => {
    const error = configError('allowForks: 1\nspec: 2\n', 'ipo.yml');
    expect(error.problems).toEqual([
      'ipo.yml: spec: expected string, got number',
      'ipo.yml: allowForks: expected boolean, got number',
    ]);
    expect(error.message).toBe(error.problems.join('\n'));
    expect(error).toMatchObject({ file: 'ipo.yml', path: 'spec', expected: 'string' });
  });

  it.each([
    ['approvers: [alice', /^\.github\/ipo\.yml: not valid YAML \(line \d+, column \d+: .+\)$/],
    [
      'spec: a\nspec: b',
      /^\.github\/ipo\.yml: not valid YAML \(line 2, column 1: Map keys must be unique\)$/,
    ],
    ['a: b: c', /^\.github\/ipo\.yml: not valid YAML \(line 1, column \d+: .+\)$/],
  ])('refuses bad YAML %j with its position', (text, pattern) => {
    const error = configError(text);
    expect(error.code).toBe('invalid-yaml');
    expect(error.message).toMatch(pattern);
  });

  it.each([
    ['- a\n- b', '.github/ipo.yml: expected a mapping of settings at the top level, got a list'],
    ['just text', '.github/ipo.yml: expected a mapping of settings at the top level, got string "just text"'],
  ])('refuses a top level that is not a mapping (%j)', (text, message) => {
    expect(configError(text).message).toBe(message);
  });
});
