import { padVisible, visibleWidth } from './format.ts';

export type Align = 'left' | 'right';

/**
 * Lines of a table whose columns line up on a terminal: each column as wide as its widest cell by visible width
 * (styled cells keep their escapes), two spaces between columns, no trailing spaces.
 */
export function renderTable(rows: readonly (readonly string[])[], align: readonly Align[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => padVisible(cell, widths[i] ?? 0, align[i] ?? 'left'))
      .join('  ')
      .trimEnd(),
  );
}
