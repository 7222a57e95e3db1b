import { realpath } from 'node:fs/promises';
import { openSandbox } from '../../src/sandbox/open-sandbox.ts';
import { DEFAULT_BWRAP_PATH } from '../../src/sandbox/probe-bwrap.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';

/** The real bubblewrap sandbox (required, network off) around `workspace`, as a phase opens it. */
export async function realSandbox(workspace: string): Promise<Sandbox> {
  return openSandbox(
    { required: true, network: { allow: [], setup: [] } },
    { bwrapPath: DEFAULT_BWRAP_PATH },
    await realpath(workspace),
  );
}
