import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/** A one-line `git update-ref --stdin` instruction: `create <ref> <new>`, `update <ref> <new> <old>`, `delete <ref>`. */
export type RefUpdate =
  | { op: 'create'; ref: string; sha: string }
  | { op: 'update'; ref: string; sha: string; expected: string }
  | { op: 'delete'; ref: string };

const SAFE = /^refs\/[^\s\0\\~^:?*[]+$/;

/**
 * Writes refs through one long-lived `git update-ref --stdin` per bare repository, one transaction at a time: git's
 * own ref locking still decides races (with pushes too), without a process spawn per write, which blocks the event
 * loop for several ms. A transaction git refuses ends that process (`fatal: … reference already exists`); the
 * next write starts a new one.
 */
export class GitRefWriter {
  private child: ChildProcessWithoutNullStreams | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private lines: string[] = [];
  private partial = '';
  private wake: (() => void) | undefined;
  private exited = false;

  constructor(private readonly dir: string) {}

  /** Applies `update` atomically; false when git refuses it (the ref exists, moved, or is missing). */
  apply(update: RefUpdate): Promise<boolean> {
    const run = this.queue.then(() => this.transact(update));
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.child?.kill();
    this.child = undefined;
    // A transaction waiting for git's answer ends as refused instead of waiting forever.
    this.exited = true;
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private async transact(update: RefUpdate): Promise<boolean> {
    const values =
      update.op === 'delete' ? [] : update.op === 'create' ? [update.sha] : [update.sha, update.expected];
    if (!SAFE.test(update.ref) || values.some((v) => !/^[0-9a-f]{40}$/.test(v))) return false;
    const child = this.start();
    // Held open while git answers, released when idle (see start()).
    child.ref();
    try {
      child.stdin.write(`start\n${[update.op, update.ref, ...values].join(' ')}\nprepare\ncommit\n`);
      for (;;) {
        const line = await this.nextLine();
        if (line === undefined) return false; // git refused it and exited
        if (line === 'commit: ok') return true;
      }
    } finally {
      child.unref();
    }
  }

  private async nextLine(): Promise<string | undefined> {
    while (this.lines.length === 0) {
      if (this.exited) return undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    return this.lines.shift();
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    this.lines = [];
    this.partial = '';
    this.exited = false;
    const child = spawn('git', ['update-ref', '--stdin'], {
      cwd: this.dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1' },
    });
    const wake = () => {
      const w = this.wake;
      this.wake = undefined;
      w?.();
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
      wake();
    });
    child.stderr.resume();
    child.stdin.on('error', () => undefined); // reported through the exit
    const ended = () => {
      if (this.child !== child) return;
      this.child = undefined;
      this.exited = true;
      wake();
    };
    child.on('close', ended);
    child.on('error', ended);
    // An idle writer must not keep a test process alive.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) {
      (stream as unknown as { unref?: () => void }).unref?.();
    }
    this.child = child;
    return child;
  }
}
