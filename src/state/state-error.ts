import type { IssueReport } from './format-issue.ts';

export type StateErrorCode =
  | 'not-found'
  | 'unreadable'
  | 'invalid-json'
  | 'invalid-yaml'
  | 'wrong-schema'
  | 'invalid'
  | 'digest-mismatch'
  | 'bad-session-id';

export interface StateErrorInit {
  code: StateErrorCode;
  /** The file as named in the message (`alignment.json`, `.github/ipo.yml`). */
  file: string;
  /** JSON path of the (first) problem, `''` for the whole file. */
  path?: string;
  /** What was expected there, in words. */
  expected: string;
  message: string;
  /** Every problem found, one line each, when there are several. */
  problems?: string[];
  cause?: unknown;
}

/** A state file that is missing, unreadable, malformed, of the wrong kind, or not what the ledger recorded. */
export class StateError extends Error {
  readonly code: StateErrorCode;
  readonly file: string;
  readonly path: string;
  readonly expected: string;
  readonly problems: string[];

  constructor(init: StateErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'StateError';
    this.code = init.code;
    this.file = init.file;
    this.path = init.path ?? '';
    this.expected = init.expected;
    this.problems = init.problems ?? [init.message];
  }
}

/** `.github/ipo.yml` is malformed; the message says where and what to write instead. */
export class ConfigError extends StateError {
  constructor(init: StateErrorInit) {
    super(init);
    this.name = 'ConfigError';
  }
}

const MAX_LINES = 10;

/** The fields of a schema-validation failure of `file`: one message line per problem, the first one leading. */
export function invalidInit(file: string, reports: readonly IssueReport[]): StateErrorInit {
  const problems = reports.map((report) => `${file}: ${report.text}`);
  const shown = problems.slice(0, MAX_LINES);
  if (problems.length > MAX_LINES) shown.push(`${file}: … and ${problems.length - MAX_LINES} more problems`);
  const first = reports[0];
  return {
    code: 'invalid',
    file,
    path: first?.path ?? '',
    expected: first?.expected ?? 'a valid document',
    message: shown.join('\n'),
    problems,
  };
}
