/**
 * USD per million tokens, per model, from Anthropic's price table
 * (https://platform.claude.com/docs/en/about-claude/pricing, and each model's overview page under
 * https://platform.claude.com/docs/en/models/, read 2026-12-04). Cache reads are not one multiplier any more:
 * 0.025× input on Fable/Mythos 5.1 and 5.2, 0.05× on Opus 5.5 and Sonnet 5.5 (cut from 0.1× on 2026-10-07),
 * 0.1× elsewhere; 5-minute cache writes are 1.25× input and 1-hour writes 2× on every model.
 * Model ids are those of the SDK's `Model` union (node_modules/@anthropic-ai/sdk/resources/messages/messages.d.ts).
 */
export interface ModelPrice {
  input: number;
  output: number;
  /** 5-minute cache writes (ipo's breakpoints use the default 5-minute lifetime). */
  cacheWrite: number;
  cacheRead: number;
  /** A dearer tier for calls whose prompt (fresh + cache writes + cache reads) exceeds `overTokens`. */
  longPrompt?: { overTokens: number; price: Omit<ModelPrice, 'longPrompt'> };
}

const price = (input: number, output: number, cacheRead: number): ModelPrice => ({
  input,
  output,
  cacheWrite: input * 1.25,
  cacheRead,
});

// Longest id first wins (see priceFor), so `claude-sonnet-5-5` never falls to `claude-sonnet-5`.
const PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-fable-5-2': price(8, 40, 0.2),
  'claude-mythos-5-2': price(8, 40, 0.2),
  'claude-fable-5-1': price(10, 50, 0.25),
  'claude-mythos-5-1': price(10, 50, 0.25),
  'claude-fable-5': price(10, 50, 1),
  'claude-mythos-5': price(10, 50, 1),
  'claude-mythos-preview': price(10, 50, 1),
  'claude-opus-5-5': price(4, 20, 0.2),
  'claude-opus-5': price(5, 25, 0.5),
  'claude-opus-4-8': price(5, 25, 0.5),
  'claude-opus-4-7': price(5, 25, 0.5),
  'claude-opus-4-6': price(5, 25, 0.5),
  'claude-opus-4-5': price(5, 25, 0.5),
  'claude-opus-4-1': price(15, 75, 1.5),
  'claude-opus-4': price(15, 75, 1.5),
  'claude-sonnet-5-5': price(2, 10, 0.1),
  'claude-sonnet-5': price(2, 10, 0.2),
  'claude-sonnet-4': price(3, 15, 0.3),
  // Haiku 5.5 bills a whole call at 5× when its prompt is over 100,000 tokens.
  'claude-haiku-5-5': {
    ...price(0.1, 0.5, 0.01),
    longPrompt: { overTokens: 100_000, price: price(0.5, 2.5, 0.05) },
  },
  'claude-haiku-4-5': price(1, 5, 0.1),
};

/** Fallback when a model is not in the table: priced like Opus 5 so estimates err on the high side. */
const DEFAULT_PRICE: ModelPrice = price(5, 25, 0.5);

/** The price of `model`: the longest table id that is the model id or a prefix of it at a `-` (dated ids). */
export function priceFor(model: string): ModelPrice {
  const id = Object.keys(PRICES)
    .filter((key) => model === key || model.startsWith(`${key}-`))
    .sort((a, b) => b.length - a.length)[0];
  return id === undefined ? DEFAULT_PRICE : (PRICES[id] ?? DEFAULT_PRICE);
}

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
}

/** Input as billed, in fresh-input tokens: cache writes and reads weighted by the model's own multipliers. */
export function billedInputTokens(model: string, t: Omit<TokenCounts, 'outputTokens'>): number {
  const p = callPrice(priceFor(model), t);
  return (
    t.inputTokens +
    (p.cacheWrite / p.input) * t.cacheCreationInputTokens +
    (p.cacheRead / p.input) * t.cacheReadInputTokens
  );
}

/** Estimated cost in USD of one call's token counts on `model` (a long-prompt tier applies per call). */
export function estimateCostUsd(model: string, t: TokenCounts): number {
  const p = callPrice(priceFor(model), t);
  return (
    (t.inputTokens * p.input +
      t.cacheCreationInputTokens * p.cacheWrite +
      t.cacheReadInputTokens * p.cacheRead +
      t.outputTokens * p.output) /
    1_000_000
  );
}

function callPrice(p: ModelPrice, t: Omit<TokenCounts, 'outputTokens'>): Omit<ModelPrice, 'longPrompt'> {
  const prompt = t.inputTokens + t.cacheCreationInputTokens + t.cacheReadInputTokens;
  return p.longPrompt && prompt > p.longPrompt.overTokens ? p.longPrompt.price : p;
}
