import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export interface ObjectInfo {
  oid: string;
  type: 'blob' | 'tree' | 'commit' | 'tag';
  size: number;
}

interface Pending {
  contents: boolean;
  resolve(value: { info: ObjectInfo; bytes?: Buffer } | undefined): void;
  reject(error: Error): void;
}

const HEADER = /^([0-9a-f]{40}) (blob|tree|commit|tag) (\d+)$/;
// Names that can only ever mean one object: a full id, or a commit id peeled to its commit or tree.
const IMMUTABLE = /^[0-9a-f]{40}(\^\{(commit|tree)\})?$/;
const CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Reads objects through one long-lived `git cat-file --batch-command` per bare repository: a request costs a line
 * on a pipe instead of a process spawn (~4 ms each), which dominated every git-backed endpoint of the local GitHub.
 * Requests are answered strictly in order, so a FIFO of pending requests pairs each answer with its question.
 */
export class GitObjects {
  private child: ChildProcessWithoutNullStreams | undefined;
  private buffered: Buffer = Buffer.alloc(0);
  private pending: Pending[] = [];
  // Objects never change, so what was read by id is kept (found objects only: a missing one may be pushed later).
  private readonly cache = new Map<string, { info: ObjectInfo; bytes?: Buffer }>();
  private cachedBytes = 0;

  constructor(private readonly dir: string) {}

  /** Type, size and id of `name` (any revision expression: a sha, `sha^{commit}`, `refs/heads/x`), or undefined. */
  async info(name: string): Promise<ObjectInfo | undefined> {
    return (await this.ask(name, false))?.info;
  }

  /** The object's bytes with its info, or undefined when `name` does not name an object. */
  async contents(name: string): Promise<{ info: ObjectInfo; bytes: Buffer } | undefined> {
    const answer = await this.ask(name, true);
    return answer?.bytes ? { info: answer.info, bytes: answer.bytes } : undefined;
  }

  close(): void {
    this.child?.kill();
    this.child = undefined;
    this.buffered = Buffer.alloc(0);
    // Nothing will answer them now: fail them rather than leave their callers waiting forever.
    for (const p of this.pending.splice(0)) p.reject(new Error(`git cat-file in ${this.dir} was closed`));
  }

  private ask(name: string, contents: boolean): Promise<{ info: ObjectInfo; bytes?: Buffer } | undefined> {
    // The protocol is line-based; a name that cannot be written as one line names no object.
    if (/[\n\r\0]/.test(name) || name.trim() === '' || name.startsWith('-'))
      return Promise.resolve(undefined);
    const cached = this.cache.get(name);
    if (cached && (cached.bytes || !contents)) return Promise.resolve(cached);
    const child = this.start();
    return new Promise<{ info: ObjectInfo; bytes?: Buffer } | undefined>((resolve, reject) => {
      this.pending.push({ contents, resolve, reject });
      // Held open while an answer is awaited, released when idle (see start()).
      child.ref();
      child.stdin.write(`${contents ? 'contents' : 'info'} ${name}\n`);
    }).then((answer) => {
      if (answer && IMMUTABLE.test(name)) this.remember(name, answer);
      return answer;
    });
  }

  private remember(name: string, answer: { info: ObjectInfo; bytes?: Buffer }): void {
    const size = answer.bytes?.length ?? 0;
    if (size > CACHE_BYTES / 8) return;
    this.cachedBytes += size - (this.cache.get(name)?.bytes?.length ?? 0);
    this.cache.set(name, answer);
    // Oldest first out: a Map iterates in insertion order.
    for (const [key, value] of this.cache) {
      if (this.cachedBytes <= CACHE_BYTES) break;
      this.cache.delete(key);
      this.cachedBytes -= value.bytes?.length ?? 0;
    }
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn('git', ['cat-file', '--batch-command'], {
      cwd: this.dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1' },
    });
    child.stdout.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : Buffer.from(chunk);
      this.drain();
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const fail = (reason: string) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.buffered = Buffer.alloc(0);
      const waiting = this.pending.splice(0);
      for (const p of waiting) p.reject(new Error(`git cat-file in ${this.dir} ${reason}: ${stderr.trim()}`));
    };
    child.on('error', (error) => fail(`failed: ${error.message}`));
    child.on('exit', (code, signal) => fail(`exited (${signal ?? code})`));
    child.stdin.on('error', () => undefined); // the exit handler reports it
    // An idle reader must not keep a test process alive; while a request waits, the child is referenced.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) {
      (stream as unknown as { unref?: () => void }).unref?.();
    }
    this.child = child;
    return child;
  }

  private drain(): void {
    for (;;) {
      const next = this.pending[0];
      const eol = this.buffered.indexOf(0x0a);
      if (!next) this.child?.unref();
      if (!next || eol < 0) return;
      const header = HEADER.exec(this.buffered.subarray(0, eol).toString('utf8'));
      if (!header) {
        // `<name> missing` or `<name> ambiguous`.
        this.buffered = this.buffered.subarray(eol + 1);
        this.pending.shift();
        next.resolve(undefined);
        continue;
      }
      const info: ObjectInfo = {
        oid: header[1] as string,
        type: header[2] as ObjectInfo['type'],
        size: Number(header[3]),
      };
      if (!next.contents) {
        this.buffered = this.buffered.subarray(eol + 1);
        this.pending.shift();
        next.resolve({ info });
        continue;
      }
      // Contents follow the header, then one newline.
      const end = eol + 1 + info.size;
      if (this.buffered.length < end + 1) return;
      const bytes = Buffer.from(this.buffered.subarray(eol + 1, end));
      this.buffered = this.buffered.subarray(end + 1);
      this.pending.shift();
      next.resolve({ info, bytes });
    }
  }
}
