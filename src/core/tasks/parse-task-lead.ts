/** What the start of a heading, list item, table cell or paragraph says: a task id, its title, a done mark. */
export interface TaskLead {
  readonly taskId: string;
  readonly title: string;
  readonly doneMark: boolean;
  /** Whether a word such as `Phase` or `Task` came before the id, or the id was bold: enough to read a plain line. */
  readonly marked: boolean;
  /** Whether a separator (`:`, `.`, `)`, a dash) or nothing followed the id: `1.5 times faster` has none. */
  readonly separated: boolean;
}

// Markers a roadmap puts before the id or at either end of the title; `[ ]` is an open checkbox, not done.
const MARKER = /^(?:✅|✔\uFE0F?|☑\uFE0F?|\[[xX ]\]|\((?:done|completed?)\)|~~)/iu;
const MARKER_AT_END = /(?:✅|✔\uFE0F?|☑\uFE0F?|\[[xX ]\]|\((?:done|completed?)\)|~~)$/iu;
const ID = '\\d{1,4}(?:\\.\\d{1,4}){1,2}';
/** Words roadmaps in the wild put before a task's number: `Phase 1.2`, `Task 1.2:`, `Milestone 1.2`, `Step 1.2`. */
export const TASK_WORDS = [
  'phase',
  'task',
  'milestone',
  'step',
  'stage',
  'epic',
  'story',
  'feature',
] as const;
const EMPHASIS = '[*_`]{0,3}';
const TASK_ID_START = new RegExp(
  `^${EMPHASIS}(?:(${TASK_WORDS.join('|')})\\s+)?${EMPHASIS}(?:\\[(${ID})\\]|(${ID}))`,
  'i',
);
const CLOSING_EMPHASIS = /^[*_`]{1,3}/;
const SEPARATORS = /^[\s:.)\-–—|]+/;

/**
 * Reads the start of a heading's, list item's or table cell's text as a task: `1.3 Median`, `1.3 — Median`,
 * `1.3: Median`, `Phase 1.3 — Median`, `Task 1.3: Median`, `Milestone 1.3`, `[1.3] Median`, `**1.3** Median`,
 * optionally with ✅ / `[x]` / `(done)` / strike-through before the id or around the title. Returns null when the
 * text does not start with a whole task id: `1.30`, `11.3`, `1.3a` and `1.3.1` are never read as `1.3`.
 */
export function parseTaskLead(text: string): TaskLead | null {
  const lead = stripMarkers(text.trim(), MARKER, (s, m) => s.slice(m.length));
  const match = TASK_ID_START.exec(lead.text);
  const taskId = match?.[2] ?? match?.[3];
  if (!match || taskId === undefined) return null;
  let rest = lead.text.slice(match[0].length);
  // The id must end here: not `1.3` of `1.3.1`, `1.30` or `1.3a` (a `1.3.` before the title is fine).
  if (/^(?:[^\W_]|\.\d)/.test(rest)) return null;
  const bold = CLOSING_EMPHASIS.exec(rest)?.[0];
  if (bold) rest = rest.slice(bold.length);
  const separated = rest.trim() === '' || /^\s*[:.)\-–—|]/.test(rest);
  const start = stripMarkers(rest.replace(SEPARATORS, ''), MARKER, (s, m) => s.slice(m.length));
  const end = stripMarkers(start.text, MARKER_AT_END, (s, m) => s.slice(0, s.length - m.length));
  return {
    taskId,
    title: end.text.replace(/^[*_]{1,3}|[*_]{1,3}$/g, '').trim(),
    doneMark: lead.done || start.done || end.done,
    marked: match[1] !== undefined || bold !== undefined,
    separated,
  };
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
