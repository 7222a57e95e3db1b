/**
 * Damerau–Levenshtein distance (optimal string alignment): insertions, deletions, substitutions and swaps of two
 * adjacent characters each cost 1, so `procede` is one edit from `proceed`. Callers keep inputs short (a line of a
 * comment), so the quadratic table is cheap.
 */
export function editDistance(a: string, b: string): number {
  const width = b.length + 1;
  // Three rolling rows: the swap rule looks two rows back.
  let before = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      }
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? 0;
}
