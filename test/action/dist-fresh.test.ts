import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUNDLES, bundleAction } from '../../scripts/build-action.ts';

describe('committed bundles', () => {
  it.each(BUNDLES)(
    '$outfile is the bundle of the current sources (run `npm run build` and commit it when this fails)',
    async (bundle) => {
      const fresh = await bundleAction(bundle);
      const committed = await readFile(
        fileURLToPath(new URL(`../../${bundle.outfile}`, import.meta.url)),
        'utf8',
      );
      expect(committed === fresh).toBe(true);
    },
  );
});
