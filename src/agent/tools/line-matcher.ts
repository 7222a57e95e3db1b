import { Worker } from 'node:worker_threads';

/** A file's text, read (inside the workspace) by the main thread. */
export interface FileText {
  path: string;
  text: string;
}

/** One matching line; `line` is 1-based, `text` cut to the matcher's `maxLineChars` (+1 to show it was cut). */
export interface LineMatch {
  path: string;
  line: number;
  text: string;
}

/** The matching ran past its time limit; the worker has been terminated. */
export class MatchTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`regular expression matching timed out after ${timeoutMs} ms`);
    this.name = 'MatchTimeoutError';
  }
}

export interface LineMatcher {
  /** Matching lines of `files`, in order, at most `limit` of them. Rejects with `MatchTimeoutError`. */
  match(files: readonly FileText[], limit: number): Promise<LineMatch[]>;
  /** Stops the worker. */
  close(): Promise<void>;
}

export interface LineMatcherOptions {
  /** Budget for all `match` calls together; the time the main thread spends between them does not count. */
  timeoutMs: number;
  maxLineChars: number;
}

/*
 * Why a worker: a model-written pattern like /(a+)+$/ can backtrack for hours, and a regex test cannot be
 * interrupted on the thread that runs it, so on the main thread it would freeze the whole agent loop (timers
 * included). A worker can be terminated from outside mid-match.
 * Why `eval: true` with this plain-JS string rather than a worker file: the project runs TypeScript through tsx with
 * no build, and a `.ts` worker file only loads where a TypeScript loader reaches the worker (not under vitest, whose
 * transform does not apply to workers, nor from a bundle). A self-contained CommonJS string loads the same
 * everywhere. Files are read on the main thread, through the workspace's confinement checks, and passed in.
 * The line split must stay the same as read-file.ts `splitLines` so line numbers agree with `read_file`.
 */
const WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const regex = new RegExp(workerData.source, workerData.flags);
parentPort.on('message', ({ files, limit }) => {
  const matches = [];
  for (const file of files) {
    const lines = file.text === '' ? [] : file.text.split('\\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    for (let i = 0; i < lines.length && matches.length < limit; i += 1) {
      regex.lastIndex = 0;
      if (regex.test(lines[i])) {
        matches.push({ path: file.path, line: i + 1, text: lines[i].slice(0, workerData.maxLineChars + 1) });
      }
    }
    if (matches.length >= limit) break;
  }
  parentPort.postMessage(matches);
});
`;

/** Starts a worker that tests each line of the files it is given against `regex`, within a time budget. */
export function startLineMatcher(regex: RegExp, options: LineMatcherOptions): LineMatcher {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { source: regex.source, flags: regex.flags, maxLineChars: options.maxLineChars },
  });
  let spentMs = 0;
  let pending: { resolve: (matches: LineMatch[]) => void; reject: (error: Error) => void } | undefined;
  worker.on('message', (matches: LineMatch[]) => pending?.resolve(matches));
  worker.on('error', (error) => pending?.reject(error));
  worker.on('exit', (code) => pending?.reject(new Error(`the search worker exited (code ${code})`)));

  return {
    match(files, limit) {
      if (pending) return Promise.reject(new Error('LineMatcher.match called while a match is running'));
      return new Promise<LineMatch[]>((resolve, reject) => {
        const started = Date.now();
        const settle = () => {
          clearTimeout(timer);
          pending = undefined;
          spentMs += Date.now() - started;
        };
        const timer = setTimeout(
          () => {
            settle();
            reject(new MatchTimeoutError(options.timeoutMs));
            void worker.terminate();
          },
          Math.max(0, options.timeoutMs - spentMs),
        );
        pending = {
          resolve: (matches) => {
            settle();
            resolve(matches);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
        };
        worker.postMessage({ files, limit });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
