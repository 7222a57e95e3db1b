import { constants } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PHASES } from '../core/phases.ts';
import { artifactFileName } from '../state/parse-document.ts';

/**
 * Copies the phase artifacts present in `from` into `to`, leaving any file `to` already has: the job's own new
 * artifact wins over an older one carried forward. Other files (the ledger, transcripts) are not artifacts.
 */
export async function copyArtifacts(from: string, to: string): Promise<void> {
  for (const file of PHASES.map(artifactFileName)) {
    try {
      await copyFile(join(from, file), join(to, file), constants.COPYFILE_EXCL);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Absent in `from` (that phase has not run) or already in `to`.
      if (code !== 'ENOENT' && code !== 'EEXIST') throw error;
    }
  }
}
