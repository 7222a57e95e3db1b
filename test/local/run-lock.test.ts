import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processStart } from '../../src/local/process-alive.ts';
import { LOCK_FILE, readRunLock, SessionLock } from '../../src/local/run-lock.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ipo-lock-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const SESSION = 'phase-1.3-20250602';
const now = new Date('2025-06-02T10:00:00Z');
const plant = (lock: Record<string, unknown>) =>
  writeFile(
    join(dir, LOCK_FILE),
    JSON.stringify({ host: hostname(), command: 'proceed', startedAt: '2025-06-02T09:00:00Z', ...lock }),
  );

describe('the session lock', () => {
  it('refuses a second holder while the first is alive, and frees the session on release', async () => {
    const first = await SessionLock.acquire(dir, SESSION, 'proceed', now);
    await first.update({ phase: 'implementation', attempt: 2 });
    await expect(SessionLock.acquire(dir, SESSION, 'retry', now)).rejects.toThrow(
      `session ${SESSION} is in use by another ipo (pid ${process.pid}, running implementation attempt 2`,
    );
    await first.release();
    const second = await SessionLock.acquire(dir, SESSION, 'retry', now);
    expect(second.previous).toBeUndefined();
    await second.release();
  });

  it('takes over the lock of a dead ipo and returns it as previous', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await plant({ pid: dead, phase: 'alignment', attempt: 1 });
    const lock = await SessionLock.acquire(dir, SESSION, 'retry', now);
    expect(lock.previous).toMatchObject({ pid: dead, phase: 'alignment' });
    expect((await readRunLock(dir))?.pid).toBe(process.pid);
    await lock.release();
  });

  it('counts the holder alive while its phase process lives, though the ipo that spawned it is gone', async () => {
    const phase = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      const dead = spawnSync(process.execPath, ['-e', '0']).pid;
      await plant({ pid: dead, child: { pid: phase.pid, start: processStart(phase.pid ?? 0) } });
      await expect(SessionLock.acquire(dir, SESSION, 'retry', now)).rejects.toThrow(
        /is in use by another ipo/,
      );
    } finally {
      phase.kill('SIGKILL');
    }
  });

  it('does not take a reused pid for the holder: the start time must match', async () => {
    await plant({ pid: process.pid, start: '1' });
    const lock = await SessionLock.acquire(dir, SESSION, 'retry', now);
    expect(lock.previous?.start).toBe('1');
    await lock.release();
  });

  it('refuses a lock taken on another host, saying it cannot tell whether that ipo still runs', async () => {
    await plant({ pid: 1, host: 'build-box-7' });
    await expect(SessionLock.acquire(dir, SESSION, 'retry', now)).rejects.toThrow(
      `session ${SESSION} is held by ipo on host build-box-7 (pid 1, \`ipo proceed\``,
    );
  });
});
