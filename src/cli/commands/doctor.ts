import { repoRoot } from '../../git/repo.ts';
import { describeLeftover, findLeftovers, removeLeftovers } from '../../local/find-leftovers.ts';
import { UserError } from '../../local/user-error.ts';
import type { CliIo } from '../compose.ts';

export interface DoctorOptions {
  cwd: string;
  worktreeRoot: string;
  /** Remove without asking (scripts). */
  yes: boolean;
  /** Also branches of complete sessions. */
  completeBranches: boolean;
}

/**
 * `ipo doctor`: lists what ipo left behind in this repository (worktrees, temp dirs, branches of cancelled sessions,
 * orphan session branches) and removes it after asking: y/N on a terminal, `--yes` in a script; without either it
 * only lists.
 */
export async function runDoctor(io: CliIo, options: DoctorOptions): Promise<number> {
  const repo = await repoRoot(options.cwd);
  if (!repo)
    throw new UserError(`${options.cwd} is not inside a git repository: run ipo doctor in your checkout`);
  const { leftovers, kept } = await findLeftovers(repo, {
    worktreeRoot: options.worktreeRoot,
    completeBranches: options.completeBranches,
  });
  for (const line of kept) io.out(`kept: ${line}\n`);
  if (leftovers.length === 0) {
    io.out(`Nothing of ipo is left over in ${repo}.\n`);
    return 0;
  }
  io.out(`Left over by ipo in ${repo}:\n`);
  for (const leftover of leftovers) io.out(`  ${describeLeftover(leftover)}  (${leftover.why})\n`);
  const go = options.yes
    ? true
    : io.confirm
      ? await io.confirm(`Remove these ${leftovers.length}? [y/N] `)
      : undefined;
  if (go === undefined) {
    io.out('Nothing removed (no terminal to ask): `ipo doctor --yes` removes them.\n');
    return 0;
  }
  if (!go) {
    io.out('Nothing removed.\n');
    return 0;
  }
  const problems = await removeLeftovers(repo, leftovers);
  for (const problem of problems) io.err(`ipo: could not remove ${problem}\n`);
  io.out(`Removed ${leftovers.length - problems.length} of ${leftovers.length}.\n`);
  return problems.length > 0 ? 1 : 0;
}
