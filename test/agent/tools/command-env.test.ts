import { describe, expect, it } from 'vitest';
import {
  buildCommandEnv,
  COMMAND_ENV_ALLOWLIST,
  isDeniedEnvName,
  secretEnvValues,
} from '../../../src/agent/tools/command-env.ts';

describe('isDeniedEnvName', () => {
  it.each([
    ['ANTHROPIC_API_KEY', true],
    ['ANTHROPIC_BASE_URL', true],
    ['GITHUB_TOKEN', true],
    ['GITHUB_REPOSITORY', true],
    ['GH_TOKEN', true],
    ['NPM_TOKEN', true],
    ['MY_SECRET', true],
    ['DB_PASSWORD', true],
    ['SSH_AUTH_SOCK', true],
    ['GOOGLE_APPLICATION_CREDENTIALS', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['ACTIONS_ID_TOKEN_REQUEST_URL', true],
    ['INPUT_MODEL', true],
    ['my_api_key', true],
    ['PATH', false],
    ['HOME', false],
    ['FORCE_COLOR', false],
    ['CI', false],
  ])('%s denied: %s', (name, denied) => {
    expect(isDeniedEnvName(name)).toBe(denied);
  });
});

describe('buildCommandEnv', () => {
  it('keeps only allowlisted variables from the parent', () => {
    const env = buildCommandEnv({
      PATH: '/bin',
      HOME: '/h',
      EDITOR: 'vim',
      NODE_OPTIONS: '--inspect',
      CI: 'true',
    });
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', CI: 'true' });
  });

  it('adds extra variables but still drops secret-looking and denied names from them', () => {
    const env = buildCommandEnv(
      { PATH: '/bin' },
      { FORCE_COLOR: '0', NPM_TOKEN: 't', GITHUB_SHA: 'abc', ANTHROPIC_MODEL: 'm', PGPASSWORD: 'p' },
    );
    expect(env).toEqual({ PATH: '/bin', FORCE_COLOR: '0' });
  });

  it('lets extra override an inherited value', () => {
    expect(buildCommandEnv({ PATH: '/bin', TZ: 'UTC' }, { TZ: 'Europe/Paris' }).TZ).toBe('Europe/Paris');
  });

  it('skips undefined parent values', () => {
    expect(buildCommandEnv({ PATH: undefined, HOME: '/h' })).toEqual({ HOME: '/h' });
  });

  it('has no secret-looking name on its allowlist', () => {
    expect(COMMAND_ENV_ALLOWLIST.filter(isDeniedEnvName)).toEqual([]);
  });
});

describe('secretEnvValues', () => {
  it('collects the values of secret-named variables, not of merely denied families or short values', () => {
    const values = secretEnvValues({
      ANTHROPIC_API_KEY: 'sk-ant-xyz123',
      GITHUB_TOKEN: 'ghs_abcdef',
      GITHUB_REPOSITORY: 'owner/repo',
      SHORT_TOKEN: 'abc',
      PATH: '/usr/bin',
      UNSET_SECRET: undefined,
    });
    expect(values).toEqual(['sk-ant-xyz123', 'ghs_abcdef']);
  });
});
