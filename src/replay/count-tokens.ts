import { getTokenizer } from '@anthropic-ai/tokenizer';

let tokenizer: ReturnType<typeof getTokenizer> | undefined;

/**
 * Counts tokens with Anthropic's published tokenizer (tiktoken WASM). It is the Claude 2 vocabulary, so counts
 * approximate current models; replays need counts that move with the input, not billing-exact ones.
 */
export function countTokens(text: string): number {
  if (text === '') return 0;
  // The package's own `countTokens` builds (and frees) a tokenizer per call, ~100 ms each; one is kept instead.
  tokenizer ??= getTokenizer();
  return tokenizer.encode(text.normalize('NFKC'), 'all').length;
}
