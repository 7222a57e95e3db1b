import { stripVTControlCharacters } from 'node:util';

/** Token counts the way people read them: `850`, `12.3k`, `1.2M`. */
export function formatTokens(count: number): string {
  const n = Math.round(count);
  if (n < 1000) return String(n);
  // 999_950 would print as `1000.0k`: switch unit where the rounded figure reaches the next one.
  if (n < 999_950) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** A duration for a person: `850 ms`, `12.3s`, `1m 05s`, `1h 02m`. Negative input (clock skew) reads as 0. */
export function formatDuration(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  if (whole < 1000) return `${whole} ms`;
  const tenths = Math.round(whole / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)}s`;
  const seconds = Math.round(whole / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad2(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h ${pad2(Math.floor((seconds % 3600) / 60))}m`;
}

/** US dollars with four decimals (`$0.0123`): phase runs often cost fractions of a cent. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

// The pure one lives in core (refusals use it); renderers import it from here with the other formatters.
export { shortSha } from '../core/session/refusals.ts';

/** An artifact digest as `sha256:1a2b3c4d`: enough to compare by eye with the ledger and the status comment. */
export function shortDigest(sha256: string): string {
  return `sha256:${sha256.slice(0, 8)}`;
}

/** Width of `text` on a terminal: escape sequences take no room; one column per code point. */
export function visibleWidth(text: string): number {
  return [...stripVTControlCharacters(text)].length;
}

/** Pads `text` with spaces to `width` visible columns, ANSI escapes not counted; never truncates. */
export function padVisible(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}

// C0/C1 controls but newline, plus bidi overrides and isolates that could reorder what a person reads.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from the ledger (errors, command output, event details) made safe to print: escape sequences removed so a
 * hostile or noisy message cannot move the cursor or recolour the terminal, tabs as spaces, other controls dropped.
 */
export function terminalSafe(text: string): string {
  return stripVTControlCharacters(text).replaceAll('\r\n', '\n').replaceAll('\t', ' ').replace(UNSAFE, '');
}

/** Cuts `text` to `max` visible columns, ending with `…` when cut. Expects text without escapes. */
export function truncate(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** The first non-blank line of `text`, trimmed (`''` if there is none). */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  );
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
