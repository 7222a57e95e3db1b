import { describe, expect, it } from 'vitest';
import { splitCgiHead } from './git-http-backend.ts';
import { parseAuthorization } from './parse-authorization.ts';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('parseAuthorization', () => {
  it.each([
    ['token abc', 'abc'],
    ['Bearer abc', 'abc'],
    [basic('x-access-token:abc'), 'abc'],
    [basic('anyone:abc'), 'abc'],
    [basic('abc:'), undefined],
    ['Digest abc', undefined],
    ['token', undefined],
    [undefined, undefined],
  ])('reads %j as token %j', (header, token) => {
    expect(parseAuthorization(header)).toBe(token);
  });
});

describe('splitCgiHead', () => {
  it('takes the status from the Status header and keeps the body bytes after the blank line', () => {
    const parsed = splitCgiHead(
      Buffer.from('Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nmissing'),
    );
    expect(parsed?.status).toBe(404);
    expect(parsed?.headers).toEqual({ 'content-type': 'text/plain' });
    expect(parsed?.rest.toString()).toBe('missing');
  });

  it('waits for more output while the header block is incomplete', () => {
    expect(splitCgiHead(Buffer.from('Content-Type: application/x-git'))).toBeUndefined();
  });
});
