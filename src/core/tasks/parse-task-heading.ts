/** What a task heading says: its id, its title, and whether the heading itself marks it done. */
export interface TaskHeading {
  readonly taskId: string;
  readonly title: string;
  readonly doneMark: boolean;
}

// Markers a roadmap puts before the id or at either end of the title; `[ ]` is an open checkbox, not done.
const MARKER = /^(?:✅|✔\uFE0F?|☑\uFE0F?|\[[xX ]\]|\(done\))/iu;
const MARKER_AT_END = /(?:✅|✔\uFE0F?|☑\uFE0F?|\[[xX ]\]|\(done\))$/iu;
const ID = '\\d{1,4}(?:\\.\\d{1,4}){1,2}';
const TASK_ID_START = new RegExp(`^(?:task\\s+)?(?:\\[(${ID})\\]|(${ID}))`, 'i');
const SEPARATORS = /^[\s:.\-–—|]+/;

/**
 * Reads a heading's text as a task heading: `1.3 Median`, `1.3 — Median`, `1.3: Median`, `Task 1.3 Median`,
 * `[1.3] Median`, optionally with ✅ / `[x]` / `(done)` before the id or around the title. Returns null when the
 * text does not start with a whole task id: `1.30`, `11.3` and `1.3.1` are never read as `1.3`.
 */
export function parseTaskHeading(text: string): TaskHeading | null {
  const lead = stripMarkers(text.trim(), MARKER, (s, m) => s.slice(m.length));
  const match = TASK_ID_START.exec(lead.text);
  const taskId = match?.[1] ?? match?.[2];
  if (!match || taskId === undefined) return null;
  const rest = lead.text.slice(match[0].length);
  // The id must end here: not `1.3` of `1.3.1`, `1.30` or `1.3a` (a `1.3.` before the title is fine).
  if (/^(?:\w|\.\d)/.test(rest)) return null;
  const start = stripMarkers(rest.replace(SEPARATORS, ''), MARKER, (s, m) => s.slice(m.length));
  const end = stripMarkers(start.text, MARKER_AT_END, (s, m) => s.slice(0, s.length - m.length));
  return { taskId, title: end.text, doneMark: lead.done || start.done || end.done };
}

/** Removes markers repeatedly from one end of `text`, noting whether any of them meant "done". */
function stripMarkers(
  text: string,
  marker: RegExp,
  cut: (text: string, marker: string) => string,
): { text: string; done: boolean } {
  let rest = text.trim();
  let done = false;
  for (let match = marker.exec(rest); match !== null; match = marker.exec(rest)) {
    if (match[0] !== '[ ]') done = true;
    rest = cut(rest, match[0]).trim();
  }
  return { text: rest, done };
}
