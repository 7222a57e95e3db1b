import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { bundleAction } from '../../scripts/build-action.ts';
import { DIST } from './action-harness.ts';

describe('dist/index.js', () => {
  it('is the bundle of the current sources (run `npm run build` and commit dist/ when this fails)', async () => {
    const fresh = await bundleAction();
    expect((await readFile(DIST, 'utf8')) === fresh).toBe(true);
  });
});
