/** Text styles for the terminal; with colour off each one returns its input unchanged, so no escape is ever printed. */
export interface Style {
  bold: (text: string) => string;
  dim: (text: string) => string;
  red: (text: string) => string;
  green: (text: string) => string;
  yellow: (text: string) => string;
  cyan: (text: string) => string;
}

// Each style closes with its own reset code (not `\x1b[0m`), so styles nest without cancelling the outer one.
const SGR = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const satisfies Record<keyof Style, readonly [number, number]>;

/** The styles to render with: ANSI SGR codes when `color`, identity functions otherwise. */
export function createStyle(color: boolean): Style {
  const make =
    ([open, close]: readonly [number, number]) =>
    (text: string) =>
      color && text !== '' ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    bold: make(SGR.bold),
    dim: make(SGR.dim),
    red: make(SGR.red),
    green: make(SGR.green),
    yellow: make(SGR.yellow),
    cyan: make(SGR.cyan),
  };
}
