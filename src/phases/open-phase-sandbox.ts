import { realpath } from 'node:fs/promises';
import type { Phase } from '../core/phases.ts';
import { openSandbox } from '../sandbox/open-sandbox.ts';
import { type Sandbox, SandboxRefusedError } from '../sandbox/sandbox.ts';
import type { PhaseContext } from './phase-context.ts';

export type PhaseSandbox = { ok: true; sandbox: Sandbox } | { ok: false; message: string };

/**
 * The sandbox a phase's untrusted commands run in, opened before any model call or check: when it cannot be
 * opened (and the config does not opt out) the phase fails with the reason and the fix, having run nothing.
 * `network` replaces the config's allowlist (see `openSandbox`). The phase closes it when its commands are done.
 */
export async function openPhaseSandbox(
  ctx: PhaseContext,
  phase: Phase,
  network?: { allow: readonly string[] },
): Promise<PhaseSandbox> {
  try {
    const workspace = await realpath(ctx.workspace);
    return { ok: true, sandbox: await openSandbox(ctx.config.sandbox, ctx.sandboxHost, workspace, network) };
  } catch (error) {
    if (!(error instanceof SandboxRefusedError)) throw error;
    return { ok: false, message: `${phase} refused to run: ${error.message}` };
  }
}
