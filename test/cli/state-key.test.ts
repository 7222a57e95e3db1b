import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { repositoryStateKey } from '../../src/github/marker-trust.ts';
import { cliEnv, runIpo } from './cli-fixtures.ts';

describe('ipo state-key', () => {
  it('prints the key the app derives for the repository from its webhook secret', async () => {
    const result = await runIpo(
      ['state-key', 'octo/demo'],
      tmpdir(),
      cliEnv(tmpdir(), { WEBHOOK_SECRET: 's3cret' }),
    );
    expect(result).toMatchObject({ code: 0, stdout: `${repositoryStateKey('s3cret', 'octo/demo')}\n` });
  });

  it('gives each repository its own key, and IPO_STATE_SECRET wins over the webhook secret', async () => {
    const env = cliEnv(tmpdir(), { WEBHOOK_SECRET: 'a', IPO_STATE_SECRET: 'b' });
    const one = await runIpo(['state-key', 'octo/demo'], tmpdir(), env);
    const two = await runIpo(['state-key', 'octo/other'], tmpdir(), env);
    expect(one.stdout.trim()).toBe(repositoryStateKey('b', 'octo/demo'));
    expect(two.stdout.trim()).not.toBe(one.stdout.trim());
  });

  it.each([
    [['state-key', 'octo/demo'], {}, /no app secret: set IPO_STATE_SECRET/],
    [['state-key', 'demo'], { WEBHOOK_SECRET: 'a' }, /give it as owner\/name/],
  ])('refuses %j with %o, saying what to do', async (args, extra, message) => {
    const result = await runIpo(args, tmpdir(), cliEnv(tmpdir(), extra));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
