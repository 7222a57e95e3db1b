import { UserError } from '../../local/user-error.ts';
import type { CliIo } from '../compose.ts';

/** Placeholder replaced in the next commit. */
export async function runIsolationBench(_io: CliIo, _env: NodeJS.ProcessEnv, _options: { json: boolean }): Promise<number> {
  throw new UserError('the isolation benchmark is not built yet');
}
