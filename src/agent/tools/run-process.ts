import { spawn } from 'node:child_process';
import type { NetworkReport } from '../../sandbox/network/network-proxy.ts';
import type { CommandSpec, Sandbox } from '../../sandbox/sandbox.ts';

export interface ProcessOptions {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string>>;
  timeoutMs: number;
  /** Only the last this-many bytes of output are kept. */
  capBytes: number;
  signal?: AbortSignal | null;
  /** Wraps the command before it is spawned: the one decision of how untrusted code runs (see `src/sandbox`). */
  sandbox: Sandbox;
}

export interface ProcessResult {
  /** Exit status, or null when the process died of a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** The tail of stdout and stderr, interleaved as they arrived. */
  output: string;
  /** Bytes of output dropped from the front to stay within the cap. */
  omittedBytes: number;
  durationMs: number;
  /** What the command did through the sandbox's network proxy (absent when it had none). */
  network?: NetworkReport;
}

/** After SIGTERM, how long a timed-out group gets to clean up before SIGKILL. */
const KILL_GRACE_MS = 2000;
/** After the main process exits, how long to wait for its pipes to close before giving up on them. */
const PIPE_CLOSE_GRACE_MS = 1000;

/** Process groups of the commands running now, so a stopping phase process can take them with it. */
const runningGroups = new Set<number>();

/**
 * Kills every command this process is running (their whole process groups). A phase process stopped by a signal
 * calls it before it exits: commands run in their own group (so a terminal's Ctrl-C does not reach them) and, without
 * bwrap's `--die-with-parent` (the `sandbox.required: false` opt-out), would otherwise outlive it.
 */
export function killRunningCommands(): void {
  for (const pid of runningGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // ESRCH: already gone.
    }
  }
  runningGroups.clear();
}

/**
 * Runs a program, as `options.sandbox` wraps it, in its own process group with a wall-time limit and a tail-keeping output cap. On timeout or
 * abort the whole group is killed (a shell's children too: `sh -c "sleep 30"` must not outlive its shell), and
 * once the main process exits any background processes it left in the group are killed as well.
 */
export async function runProcess(options: ProcessOptions): Promise<ProcessResult> {
  const started = Date.now();
  const command = await options.sandbox.wrap(options);
  let result: ProcessResult;
  try {
    result = await spawnAndWait(command, options, started);
  } catch (error) {
    await command.finish(); // it could not start: its proxy closes all the same
    throw error;
  }
  // The command is over (its sandbox with it): its proxy closes and reports what it did.
  const network = await command.finish();
  return network ? { ...result, network } : result;
}

function spawnAndWait(
  command: CommandSpec,
  options: ProcessOptions,
  started: number,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const tail = new TailBuffer(options.capBytes);
    const child = spawn(command.file, [...command.args], {
      cwd: command.cwd,
      env: { ...command.env },
      detached: true, // setsid(): the child leads a new process group we can signal as -pid
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const group = child.pid;
    if (group !== undefined) runningGroups.add(group);
    let timedOut = false;
    let aborted = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    const stop = () => {
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS));
    };
    const onAbort = () => {
      aborted = true;
      stop();
    };
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      if (group !== undefined) runningGroups.delete(group);
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) return reject(error);
      const { text, omittedBytes } = tail.read();
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        aborted,
        output: text,
        omittedBytes,
        durationMs: Date.now() - started,
      });
    };

    timers.push(
      setTimeout(() => {
        timedOut = true;
        stop();
      }, options.timeoutMs),
    );
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => tail.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
    child.on('error', (error) => settle(error));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      killGroup('SIGKILL');
      // A process that left the group (setsid, daemonize) can hold our pipes open forever: stop listening.
      timers.push(
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          settle();
        }, PIPE_CLOSE_GRACE_MS),
      );
    });
    child.on('close', () => settle());
  });
}

/** Keeps the last `cap` bytes pushed into it and counts the rest. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private held = 0;
  private total = 0;

  constructor(private readonly cap: number) {}

  /** Appends a chunk, dropping whole chunks from the front once the rest still covers the cap. */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.held += chunk.length;
    this.total += chunk.length;
    for (let first = this.chunks[0]; first && this.held - first.length >= this.cap; first = this.chunks[0]) {
      this.chunks.shift();
      this.held -= first.length;
    }
  }

  /** The kept tail as text, starting on a whole UTF-8 character, and how many bytes were dropped before it. */
  read(): { text: string; omittedBytes: number } {
    const all = Buffer.concat(this.chunks);
    let start = Math.max(0, all.length - this.cap);
    // Skip UTF-8 continuation bytes (10xxxxxx) so the tail does not open with a broken character.
    for (let i = 0; start < all.length && i < 3 && ((all[start] ?? 0) & 0xc0) === 0x80; i += 1) start += 1;
    const kept = all.subarray(start);
    return { text: kept.toString('utf8'), omittedBytes: this.total - kept.length };
  }
}
