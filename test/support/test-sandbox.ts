import { realpath } from 'node:fs/promises';
import { openSandbox } from '../../src/sandbox/open-sandbox.ts';
import { DEFAULT_BWRAP_PATH } from '../../src/sandbox/probe-bwrap.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';

/**
 * The real bubblewrap sandbox (required; network off, or only to `allow`) around `workspace`, as a phase opens it.
 * With an allowlist it runs a proxy: close it afterwards.
 */
export async function realSandbox(workspace: string, allow: readonly string[] = []): Promise<Sandbox> {
  return openSandbox(
    { required: true, network: { allow: [...allow], setup: [] } },
    { bwrapPath: DEFAULT_BWRAP_PATH },
    await realpath(workspace),
  );
}
