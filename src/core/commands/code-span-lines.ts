/**
 * Which lines of one paragraph an inline code span touches (delimiters included). A span may cross lines
 * (CommonMark: a run of N backticks up to the next run of exactly N), so a line with no backtick of its own can
 * still be code. Runs are indexed by length so an unmatched run costs no rescan: linear in the paragraph.
 */
export function codeSpanLines(lines: readonly string[]): boolean[] {
  const touched = lines.map(() => false);
  const text = lines.join('\n');
  const runs = backtickRuns(text);
  const byLength = new Map<number, number[]>();
  runs.forEach((run, index) => {
    const list = byLength.get(run.length) ?? [];
    list.push(index);
    byLength.set(run.length, list);
  });
  const cursor = new Map<number, number>();
  const starts = lineStarts(lines);
  let line = 0;
  for (let index = 0; index < runs.length; index++) {
    const run = runs[index];
    if (run === undefined) break;
    // A backslash escapes the first backtick of a run only; the rest of the run can still open a span.
    const escaped = run.start > 0 && text[run.start - 1] === '\\';
    const openLength = escaped ? run.length - 1 : run.length;
    if (openLength === 0) continue;
    const closer = nextRunOfLength(byLength.get(openLength) ?? [], cursor, openLength, index);
    const close = closer === undefined ? undefined : runs[closer];
    if (closer === undefined || close === undefined) continue;
    const from = run.start + (escaped ? 1 : 0);
    const to = close.start + close.length;
    while (line + 1 < starts.length && (starts[line + 1] ?? 0) <= from) line++;
    for (let l = line; l < starts.length && (starts[l] ?? 0) < to; l++) touched[l] = true;
    index = closer;
  }
  return touched;
}

interface Run {
  readonly start: number;
  readonly length: number;
}

function backtickRuns(text: string): Run[] {
  const runs: Run[] = [];
  let i = text.indexOf('`');
  while (i !== -1) {
    let end = i;
    while (text[end] === '`') end++;
    runs.push({ start: i, length: end - i });
    i = text.indexOf('`', end);
  }
  return runs;
}

function nextRunOfLength(
  indexes: readonly number[],
  cursor: Map<number, number>,
  length: number,
  after: number,
): number | undefined {
  let at = cursor.get(length) ?? 0;
  while (at < indexes.length && (indexes[at] ?? 0) <= after) at++;
  cursor.set(length, at);
  return indexes[at];
}

function lineStarts(lines: readonly string[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  return starts;
}
