import type { z } from 'zod';
import { knownKeysAt, suggestKey } from './suggest-key.ts';

type Issue = z.core.$ZodIssue;

/** One problem in a document, in words: where (`a.b[2].c`), what was expected, and the full line. */
export interface IssueReport {
  path: string;
  expected: string;
  /** `path: expected …, got …` (no path prefix for the document root). */
  text: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JSON path in the form people read: `body.acceptanceCriteria[2].id`, `attempts["weird key"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A value as it appears in a message: primitives literally (strings quoted, long ones cut), others by type. */
function show(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeName(value);
}

const TYPE_WORDS: Record<string, string> = { int: 'an integer', object: 'an object', array: 'an array' };

function bound(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>, limit: number | bigint): string {
  const small = issue.code === 'too_small';
  if (issue.origin === 'string' || issue.origin === 'array') {
    const unit = issue.origin === 'string' ? 'character' : 'item';
    if (issue.exact) return `exactly ${limit} ${unit}s`;
    if (small && Number(limit) === 1)
      return issue.origin === 'string' ? 'a non-empty string' : 'at least 1 item';
    return `${small ? 'at least' : 'at most'} ${limit} ${unit}s`;
  }
  const op = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  return `a number ${op} ${limit}`;
}

function measured(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const input: unknown = issue.input;
  if (typeof input === 'string') return `${input.length} characters`;
  if (Array.isArray(input)) return `${input.length} items`;
  return show(input);
}

/** `[expected, got]` for one issue; `got` is empty when there is nothing useful to say. */
function describe(issue: Issue): [string, string] {
  switch (issue.code) {
    case 'invalid_type': {
      // A key that must be absent carries its own reason (see `phrases` in config.ts).
      if (issue.expected === 'never') return [issue.message, ''];
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return [expected, 'nothing (the field is missing)'];
      return [expected, issue.expected === 'int' ? show(issue.input) : typeName(issue.input)];
    }
    case 'invalid_value': {
      const expected =
        issue.values.length === 1 ? show(issue.values[0]) : `one of ${issue.values.map(show).join(', ')}`;
      return [expected, issue.input === undefined ? 'nothing (the field is missing)' : show(issue.input)];
    }
    case 'invalid_format': {
      const own = issue.message.startsWith('expected ') ? issue.message.slice('expected '.length) : undefined;
      const expected =
        own ?? (issue.pattern ? `a string matching ${issue.pattern}` : `a valid ${issue.format}`);
      return [expected, show(issue.input)];
    }
    case 'too_small':
      return [bound(issue, issue.minimum), measured(issue)];
    case 'too_big':
      return [bound(issue, issue.maximum), measured(issue)];
    case 'not_multiple_of':
      return [`a multiple of ${issue.divisor}`, show(issue.input)];
    case 'invalid_union': {
      if (issue.discriminator && 'options' in issue && issue.options) {
        // zod puts the discriminator key in the path but the whole object in `input`.
        const input = issue.input as Record<string, unknown> | undefined;
        return [`one of ${issue.options.map(show).join(', ')}`, show(input?.[issue.discriminator])];
      }
      // A union given its own words (`verification.setup`) says them; zod's default is "Invalid input".
      if (issue.message && issue.message !== 'Invalid input') return [issue.message, typeName(issue.input)];
      return ['one of the allowed shapes', typeName(issue.input)];
    }
    default:
      return [issue.message, ''];
  }
}

/** Unknown keys, one report each, with a near key from `root` when one looks like a typo. */
function unknownKeys(issue: Extract<Issue, { code: 'unrecognized_keys' }>, root?: z.ZodType): IssueReport[] {
  const known = root ? knownKeysAt(root, issue.path, issue.input) : [];
  const where = formatPath(issue.path);
  return issue.keys.map((key) => {
    const near = suggestKey(key, known);
    const words = `unknown key ${JSON.stringify(key)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`;
    const expected =
      known.length > 0 ? `one of ${known.map((k) => JSON.stringify(k)).join(', ')}` : 'no such key';
    return { path: where, expected, text: where ? `${where}: ${words}` : words };
  });
}

/** Reports for one zod issue; `root` (the schema parsed against) enables "did you mean" for unknown keys. */
export function formatIssue(issue: Issue, root?: z.ZodType): IssueReport[] {
  if (issue.code === 'unrecognized_keys') return unknownKeys(issue, root);
  if (issue.code === 'invalid_key' || issue.code === 'invalid_element') {
    // Nested issues carry paths relative to the key or element; anchor them under this issue's path.
    return issue.issues.flatMap((inner) =>
      formatIssue({ ...inner, path: [...issue.path, ...inner.path] }, root),
    );
  }
  const where = formatPath(issue.path);
  const [expected, got] = describe(issue);
  // Custom checks and keys that must be absent word their own message.
  const ownWords = issue.code === 'custom' || (issue.code === 'invalid_type' && issue.expected === 'never');
  const words = ownWords ? expected : `expected ${expected}${got ? `, got ${got}` : ''}`;
  return [{ path: where, expected, text: where ? `${where}: ${words}` : words }];
}

/** Reports for all issues of a failed parse, in zod's order. */
export function formatIssues(issues: readonly Issue[], root?: z.ZodType): IssueReport[] {
  return issues.flatMap((issue) => formatIssue(issue, root));
}
