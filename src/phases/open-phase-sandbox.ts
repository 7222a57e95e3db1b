import { realpath } from 'node:fs/promises';
import type { Phase } from '../core/phases.ts';
import { openSandbox } from '../sandbox/open-sandbox.ts';
import { type Sandbox, SandboxRefusedError } from '../sandbox/sandbox.ts';
import type { PhaseContext } from './phase-context.ts';

export type PhaseSandbox = { ok: true; sandbox: Sandbox } | { ok: false; message: string };

/**
 * The sandbox a phase's untrusted commands run in, opened before any model call or check: when it cannot be
 * opened (and the config does not opt out) the phase fails with the reason and the fix, having run nothing.
 * `network` replaces the config's allowlist (see `openSandbox`); the phase closes the sandbox when its commands are
 * done. When the config opts out and none can run, `ctx.sandboxUse` records why, for the ledger and every status
 * surface.
 */
export async function openPhaseSandbox(
  ctx: Pick<PhaseContext, 'config' | 'sandboxHost' | 'workspace' | 'sandboxUse'>,
  phase: Phase,
  network?: { allow: readonly string[] },
): Promise<PhaseSandbox> {
  try {
    const workspace = await realpath(ctx.workspace);
    const sandbox = await openSandbox(ctx.config.sandbox, ctx.sandboxHost, workspace, network);
    // Recorded before any command runs, so the run's record says so even if the phase then throws.
    if (sandbox.mode === 'unsandboxed') {
      const unenforced =
        sandbox.networkAllow.length > 0
          ? '; sandbox.network.allow was NOT enforced (any host was reachable)'
          : '';
      ctx.sandboxUse.unsandboxed = `${sandbox.reason ?? 'no sandbox could run'}${unenforced}`;
    }
    return { ok: true, sandbox };
  } catch (error) {
    if (!(error instanceof SandboxRefusedError)) throw error;
    return { ok: false, message: `${phase} refused to run: ${error.message}` };
  }
}
