import { describe, expect, it } from 'vitest';
import { paginate } from './paginate.ts';

const items = Array.from({ length: 45 }, (_, i) => i + 1);
const base = 'http://127.0.0.1:1/api/v3/repos/o/r/issues/1/comments';

describe('paginate', () => {
  it.each([
    ['', 30, 1, 30, ['next', 'last']],
    ['?per_page=20&page=2', 20, 21, 40, ['next', 'last', 'first', 'prev']],
    ['?per_page=20&page=3', 5, 41, 45, ['first', 'prev']],
    ['?per_page=500', 45, 1, 45, []],
    ['?per_page=10&page=9', 0, undefined, undefined, ['first', 'prev']],
  ])('serves %s as %i items from %s to %s with links %j', (query, count, first, last, rels) => {
    const { page, headers } = paginate(items, new URL(`${base}${query}`));
    expect(page).toHaveLength(count);
    expect([page.at(0), page.at(-1)]).toEqual([first, last]);
    expect([...(headers.link ?? '').matchAll(/rel="(\w+)"/g)].map((m) => m[1])).toEqual(rels);
  });

  it('keeps other query parameters in the next link', () => {
    const { headers } = paginate(items, new URL(`${base}?state=all&per_page=20`));
    expect(headers.link).toContain(`<${base}?state=all&per_page=20&page=2>; rel="next"`);
  });
});
