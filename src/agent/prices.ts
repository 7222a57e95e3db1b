/**
 * USD per million tokens, by model id prefix. One table, easy to update when prices change.
 * Cache writes cost 1.25× input and cache reads 0.1× input (5-minute cache), as the API bills them.
 */
export interface ModelPrice {
  input: number;
  output: number;
}

const PRICES: ReadonlyArray<readonly [prefix: string, price: ModelPrice]> = [
  // Families keep their price across point releases; list a specific model first when one differs.
  ['claude-opus-', { input: 5, output: 25 }],
  ['claude-sonnet-', { input: 3, output: 15 }],
  ['claude-haiku-', { input: 1, output: 5 }],
];

/** Fallback when a model is not in the table: priced like Sonnet so estimates err on the high side. */
const DEFAULT_PRICE: ModelPrice = { input: 3, output: 15 };

export function priceFor(model: string): ModelPrice {
  return PRICES.find(([prefix]) => model.startsWith(prefix))?.[1] ?? DEFAULT_PRICE;
}

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
}

/** Input tokens as billed: cache writes cost 1.25× a fresh token, cache reads 0.1×. */
export function billedInputTokens(t: Omit<TokenCounts, 'outputTokens'>): number {
  return t.inputTokens + 1.25 * t.cacheCreationInputTokens + 0.1 * t.cacheReadInputTokens;
}

/** Estimated cost in USD of the given token counts on `model`. */
export function estimateCostUsd(model: string, t: TokenCounts): number {
  const p = priceFor(model);
  return (billedInputTokens(t) * p.input + t.outputTokens * p.output) / 1_000_000;
}
