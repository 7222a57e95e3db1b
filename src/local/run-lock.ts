import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { PHASES } from '../core/phases.ts';
import { writeFileAtomic } from '../state/write-atomic.ts';
import { processAlive, processStart } from './process-alive.ts';
import { UserError } from './user-error.ts';

/** The lock file in a session directory: which ipo process acts on the session, and which phase it runs. */
export const LOCK_FILE = 'run.lock';

const ProcessRefSchema = z.strictObject({ pid: z.number().int().positive(), start: z.string().optional() });

const RunLockSchema = z.strictObject({
  ...ProcessRefSchema.shape,
  host: z.string(),
  command: z.string(),
  startedAt: z.string(),
  phase: z.enum(PHASES).optional(),
  attempt: z.number().int().positive().optional(),
  /** The phase process: it outlives a killed CLI for a moment, until it notices its parent is gone. */
  child: ProcessRefSchema.optional(),
});
export type RunLock = z.infer<typeof RunLockSchema>;

/** Whether the lock's holder still runs: `other-host` when it ran elsewhere, which ipo cannot tell from here. */
export type HolderState = 'alive' | 'gone' | 'other-host';

export function holderState(lock: RunLock): HolderState {
  if (lock.host !== hostname()) return 'other-host';
  const alive = (p: { pid: number; start?: string | undefined }) => processAlive(p.pid, p.start);
  return alive(lock) || (lock.child !== undefined && alive(lock.child)) ? 'alive' : 'gone';
}

/** The lock of a session directory, or undefined when there is none (or it cannot be read: a torn file is no holder). */
export async function readRunLock(dir: string): Promise<RunLock | undefined> {
  return (await readLockFile(join(dir, LOCK_FILE)))?.lock;
}

async function readLockFile(file: string): Promise<{ lock: RunLock; text: string } | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return { lock: RunLockSchema.parse(JSON.parse(text)), text };
  } catch {
    return undefined;
  }
}

/** What the failed run records when its ipo process went away without recording it. */
export function interruptedReason(lock: RunLock | undefined): string {
  return lock
    ? `interrupted: the ipo process that ran it (pid ${lock.pid}) is gone`
    : 'interrupted: no ipo process holds the session (its lock file is missing)';
}

/** A held session lock: updated as the command dispatches a phase, released when the command ends. */
export class SessionLock {
  private constructor(
    private readonly file: string,
    private lock: RunLock,
    /** The lock of an ipo process that died holding the session, which this one replaced. */
    readonly previous: RunLock | undefined,
  ) {}

  /**
   * Takes the lock of session directory `dir` for `command`, or refuses while another ipo process holds it. A lock
   * whose holder is gone (killed, crashed) is taken over and returned as `previous`.
   */
  static async acquire(dir: string, session: string, command: string, now: Date): Promise<SessionLock> {
    await mkdir(dir, { recursive: true });
    const file = join(dir, LOCK_FILE);
    const mine: RunLock = {
      pid: process.pid,
      ...optionalStart(process.pid),
      host: hostname(),
      command,
      startedAt: now.toISOString(),
    };
    let previous: RunLock | undefined;
    for (let tries = 0; tries < 5; tries += 1) {
      if (await createExclusive(file, mine)) return new SessionLock(file, mine, previous);
      const read = await readLockFile(file);
      if (read === undefined) {
        // Gone meanwhile, or torn: only a lock that stays unreadable is cleared.
        if (tries >= 2) await rm(file, { force: true });
        continue;
      }
      const held = read.lock;
      const state = holderState(held);
      if (state !== 'gone') throw inUse(session, held, state, file);
      // Move it aside, then check it was the dead holder's: two processes may take over at once.
      const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
      if (
        !(await rename(file, aside).then(
          () => true,
          () => false,
        ))
      )
        continue;
      const moved = await readFile(aside, 'utf8').catch(() => '');
      if (moved !== read.text) {
        // Another process won the race and its fresh lock was moved: put it back and refuse.
        await link(aside, file).catch(() => undefined);
        await rm(aside, { force: true });
        const winner = (await readRunLock(dir)) ?? held;
        throw inUse(session, winner, holderState(winner), file);
      }
      await rm(aside, { force: true });
      previous = held;
    }
    throw new UserError(`could not take the lock ${file}: another ipo keeps taking it; try again`);
  }

  /** Records what the holder does now (the phase it runs, its process). */
  async update(patch: Pick<RunLock, 'phase' | 'attempt'> & { childPid?: number }): Promise<void> {
    const { childPid, ...rest } = patch;
    this.lock = {
      ...this.lock,
      ...rest,
      ...(childPid === undefined ? {} : { child: { pid: childPid, ...optionalStart(childPid) } }),
    };
    await writeFileAtomic(this.file, JSON.stringify(this.lock));
  }

  /** Removes the lock; the session is free for the next command. */
  async release(): Promise<void> {
    await rm(this.file, { force: true });
  }
}

/** Writes the lock whole, then links it into place: the link fails when a lock exists, and is never torn. */
async function createExclusive(file: string, lock: RunLock): Promise<boolean> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  await writeFile(temp, JSON.stringify(lock), { flag: 'wx' });
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

function optionalStart(pid: number): { start?: string } {
  const start = processStart(pid);
  return start === undefined ? {} : { start };
}

function inUse(session: string, lock: RunLock, state: HolderState, file: string): UserError {
  const doing = lock.phase
    ? `running ${lock.phase} attempt ${lock.attempt ?? '?'}`
    : `\`ipo ${lock.command}\``;
  if (state === 'other-host') {
    return new UserError(
      `session ${session} is held by ipo on host ${lock.host} (pid ${lock.pid}, ${doing}, since ${lock.startedAt}); ` +
        `ipo cannot tell from here whether it still runs: act from that host, or remove ${file} if you know it is gone`,
    );
  }
  return new UserError(
    `session ${session} is in use by another ipo (pid ${lock.pid}, ${doing}, since ${lock.startedAt}): ` +
      'wait for it to finish, or stop it (Ctrl-C in its terminal), then run this command again',
  );
}
