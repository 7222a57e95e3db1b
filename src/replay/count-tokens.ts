import { getTokenizer } from '@anthropic-ai/tokenizer';

let tokenizer: ReturnType<typeof getTokenizer> | undefined;

/**
 * How far the replay's counts fall short on current models, as documented: "Claude Opus 4.7 and later Opus
 * models, Claude Fable 5, Claude Mythos 5, Claude Mythos Preview, and Claude Sonnet 5 use a newer tokenizer. The
 * same input text produces approximately 30 percent more tokens than on earlier models"
 * (https://platform.claude.com/docs/en/build-with-claude/token-counting). The package's Claude 2 vocabulary is
 * older still and its own gap is not documented, so figures scaled by this factor remain a floor.
 */
export const NEWER_TOKENIZER_FACTOR = 1.3;

/** Said wherever replayed token figures are printed. */
export const TOKEN_COUNT_NOTE =
  "Token counts come from the replay server's @anthropic-ai/tokenizer (the Claude 2 vocabulary): current models " +
  `count the same text as ~${Math.round((NEWER_TOKENIZER_FACTOR - 1) * 100)}% more tokens than earlier ones (platform.claude.com/docs/en/build-with-claude/token-counting), ` +
  `so multiply absolute figures by at least ${NEWER_TOKENIZER_FACTOR} for budgets; ratios between two replays are unaffected.`;

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
