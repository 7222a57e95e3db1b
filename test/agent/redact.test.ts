import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED, redactDeep } from '../../src/agent/redact.ts';

const ghp = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
const redact = createRedactor(['hunter2-secret', 'abc', 'my-long-secret-value-123', 'my-long-secret']);

describe('createRedactor', () => {
  it.each([
    ['password is hunter2-secret.', 'password is [REDACTED].'],
    ['twice: hunter2-secret hunter2-secret', 'twice: [REDACTED] [REDACTED]'],
    ['short values like abc stay', 'short values like abc stay'],
    ['longest first: my-long-secret-value-123!', 'longest first: [REDACTED]!'],
    ['key sk-ant-api03-AbC_dEf-123456789 end', 'key [REDACTED] end'],
    ['oauth sk-ant-oat01-ZZZZZZZZZZZZ', 'oauth [REDACTED]'],
    [`token ${ghp}`, 'token [REDACTED]'],
    [`gho_${'x'.repeat(36)} ghs_${'y'.repeat(36)} ghu_${'z'.repeat(36)}`, '[REDACTED] [REDACTED] [REDACTED]'],
    [`pat github_pat_11ABCDEFG_${'q'.repeat(40)}`, 'pat [REDACTED]'],
    ['Authorization: Bearer eyJhbGciOi.JIUzI1NiJ9.abc', 'Authorization: Bearer [REDACTED]'],
    ['x-api-key: sk-live-whatever-value', 'x-api-key: [REDACTED]'],
    ['{"x-api-key":"abcdef123456"}', '{"x-api-key":"[REDACTED]"}'],
    ['AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hz', 'AUTHORIZATION: basic [REDACTED]'],
    ['nothing secret here: ghp_short, sk-ant-', 'nothing secret here: ghp_short, sk-ant-'],
  ])('redacts %j to %j', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('treats regex characters in secrets literally', () => {
    expect(createRedactor(['a.b*c+d(e)'])('x a.b*c+d(e) aXbbbcd')).toBe(`x ${REDACTED} aXbbbcd`);
  });

  it('still redacts token shapes with no secrets given', () => {
    expect(createRedactor([])(`push with ${ghp}`)).toBe('push with [REDACTED]');
  });
});

describe('redactDeep', () => {
  it('redacts every string in nested objects and arrays, keys included, and leaves other values', () => {
    const value = {
      model: 'claude',
      tokens: 12,
      ok: true,
      none: null,
      messages: [{ role: 'user', content: ['see hunter2-secret', { text: `env ${ghp}` }] }],
      headers: { 'hunter2-secret': 'x' },
    };
    expect(redactDeep(value, redact)).toEqual({
      model: 'claude',
      tokens: 12,
      ok: true,
      none: null,
      messages: [{ role: 'user', content: ['see [REDACTED]', { text: 'env [REDACTED]' }] }],
      headers: { '[REDACTED]': 'x' },
    });
  });

  it('uses token shapes by default and does not modify its input', () => {
    const value = { line: `token=${ghp}` };
    expect(redactDeep(value)).toEqual({ line: 'token=[REDACTED]' });
    expect(value.line).toBe(`token=${ghp}`);
  });
});
