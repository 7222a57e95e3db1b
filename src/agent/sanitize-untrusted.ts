/**
 * Untrusted text (issue bodies, comments) is read by people rendered and by the model raw. Whatever the rendered
 * page hides from a reviewer could carry instructions only the model sees, so it is removed before the text
 * reaches a prompt (after claude-code-action's `sanitizer.ts`).
 */

// An unterminated comment hides the rest of the text on GitHub, so it is cut to the end.
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

// Zero-width and formatting characters, bidi embeddings/overrides/isolates, soft hyphen, BOM, Mongolian vowel
// separator, invisible math operators, and the Unicode tag block (which can spell out whole hidden sentences).
const INVISIBLE =
  /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|[\u{E0000}-\u{E007F}]/gu;

// C0/C1 controls other than tab, line feed and carriage return.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

// `![alt](url)` and `![alt][ref]`; alt text may hold one level of brackets, the URL one level of parentheses.
const MARKDOWN_IMAGE = /!\[(?:[^[\]]|\[[^[\]]*\])*\](?:\((?:[^()]|\([^()]*\))*\)|\[[^\]]*\])/g;

// A whole `<img …>` tag, quoted attribute values allowed to contain `>`.
const HTML_IMAGE = /<img\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi;

// Attributes that render as tooltips or not at all, inside any remaining tag.
const HIDDEN_ATTRIBUTE =
  /\s(?:alt|title|aria-label|placeholder|data-[\w-]+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi;

// The title of a markdown link, `[text](url "title")`, shows only on hover.
const LINK_TITLE = /(\[[^\]]*\]\([^)\s]+)\s+(?:"[^"]*"|'[^']*')\)/g;

// Character references that spell an invisible character (`&#8203;`, `&#x202E;`, `&shy;`).
const NUMERIC_ENTITY = /&#(x[0-9a-f]+|\d+);/gi;
const INVISIBLE_NAMED_ENTITY = /&(?:shy|zwj|zwnj|lrm|rlm|NoBreak);/gi;
// Non-global twins for testing one character: a global regex's `test` keeps state between calls.
const INVISIBLE_CHAR = new RegExp(INVISIBLE.source, 'u');
const CONTROL_CHAR = new RegExp(CONTROL.source);

/** `text` with HTML comments, invisible/bidi/control characters, image alt text and hidden attributes removed. */
export function sanitizeUntrusted(text: string): string {
  return text
    .replace(HTML_COMMENT, '')
    .replace(INVISIBLE, '')
    .replace(CONTROL, '')
    .replace(MARKDOWN_IMAGE, '[image]')
    .replace(HTML_IMAGE, '[image]')
    .replace(HIDDEN_ATTRIBUTE, '')
    .replace(LINK_TITLE, '$1)')
    .replace(INVISIBLE_NAMED_ENTITY, '')
    .replace(NUMERIC_ENTITY, (entity, code: string) => (spellsInvisible(code) ? '' : entity));
}

function spellsInvisible(code: string): boolean {
  const point =
    code[0] === 'x' || code[0] === 'X' ? Number.parseInt(code.slice(1), 16) : Number.parseInt(code, 10);
  if (!Number.isFinite(point) || point > 0x10ffff) return true; // not a character: nothing a reader would see
  const char = String.fromCodePoint(point);
  return INVISIBLE_CHAR.test(char) || CONTROL_CHAR.test(char);
}
