import { createHash } from 'node:crypto';
import type { CacheTtl, PromptSegment } from './prompt-segments.ts';

/** The input side of the API's `usage`. */
export interface InputUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

const TTL_MS: Record<CacheTtl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

interface Breakpoint {
  hash: string;
  ttl: CacheTtl;
  /** Tokens of the prefix that ends at this breakpoint. */
  prefixTokens: number;
  /** The prefixes ending at the blocks before it, nearest first, that a lookup may also hit. */
  lookback: { hash: string; prefixTokens: number }[];
}

/** How many blocks before a breakpoint the API looks for an earlier cached prefix. */
const LOOKBACK_BLOCKS = 20;

/**
 * Simulates prompt caching: the prefix ending at each `cache_control` breakpoint is cached (per model) for its
 * TTL. A request reads the longest prefix seen before, writes the rest up to its last breakpoint, and pays
 * plain input tokens for what follows. A hit refreshes the TTL, as the API does.
 *
 * A breakpoint also hits on a prefix cached by an earlier request that ends up to 20 blocks before it: "the
 * system automatically checks for cache hits at all previous content block boundaries (up to approximately 20
 * blocks before your explicit breakpoint)" (https://platform.claude.com/docs/en/build-with-claude/prompt-caching).
 * That is how a breakpoint moving to the newest message reads what the previous turn wrote.
 */
export class PromptCache {
  readonly #expiresAt = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  #longestHit(breakpoints: readonly Breakpoint[]) {
    return longestHitIn(breakpoints, (hash) => this.#expiresAt.has(hash));
  }

  /** Usage for a prompt, updating the cache as the API would. */
  use(model: string, segments: readonly PromptSegment[]): InputUsage {
    const now = this.#now();
    for (const [hash, expiresAt] of this.#expiresAt) {
      if (expiresAt <= now) this.#expiresAt.delete(hash);
    }
    const breakpoints = breakpointsOf(model, segments);
    const total = segments.reduce((sum, segment) => sum + segment.tokens, 0);
    const hit = this.#longestHit(breakpoints);
    const read = hit?.prefixTokens ?? 0;
    const readIndex = hit === undefined ? -1 : breakpoints.findLastIndex((b) => b.prefixTokens <= read);
    const creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
    let covered = read;
    for (const breakpoint of breakpoints.slice(readIndex + 1)) {
      const field = breakpoint.ttl === '1h' ? 'ephemeral_1h_input_tokens' : 'ephemeral_5m_input_tokens';
      creation[field] += breakpoint.prefixTokens - covered;
      covered = breakpoint.prefixTokens;
    }
    if (hit !== undefined) this.#expiresAt.set(hit.hash, now + TTL_MS[hit.ttl]);
    for (const breakpoint of breakpoints) {
      this.#expiresAt.set(breakpoint.hash, now + TTL_MS[breakpoint.ttl]);
    }
    return {
      input_tokens: total - covered,
      cache_creation_input_tokens: covered - read,
      cache_read_input_tokens: read,
      cache_creation: creation,
    };
  }
}

function longestHitIn(
  breakpoints: readonly Breakpoint[],
  cached: (hash: string) => boolean,
): { hash: string; prefixTokens: number; ttl: CacheTtl } | undefined {
  for (const breakpoint of [...breakpoints].reverse()) {
    if (cached(breakpoint.hash)) return breakpoint;
    const earlier = breakpoint.lookback.find((prefix) => cached(prefix.hash));
    if (earlier) return { ...earlier, ttl: breakpoint.ttl };
  }
  return undefined;
}

function breakpointsOf(model: string, segments: readonly PromptSegment[]): Breakpoint[] {
  // One running hash, copied at each block, so every prefix is hashed once.
  const hash = createHash('sha256').update(`${model}\0`);
  const breakpoints: Breakpoint[] = [];
  const prefixes: { hash: string; prefixTokens: number }[] = [];
  let prefixTokens = 0;
  for (const segment of segments) {
    hash.update(`${segment.key}\0`);
    prefixTokens += segment.tokens;
    prefixes.push({ hash: hash.copy().digest('hex'), prefixTokens });
    if (segment.breakpoint !== undefined) {
      const lookback = prefixes.slice(-LOOKBACK_BLOCKS - 1, -1).reverse();
      breakpoints.push({
        hash: prefixes.at(-1)?.hash ?? '',
        ttl: segment.breakpoint,
        prefixTokens,
        lookback,
      });
    }
  }
  return breakpoints;
}
