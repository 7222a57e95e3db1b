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
}

/**
 * Simulates prompt caching: the prefix ending at each `cache_control` breakpoint is cached (per model) for its
 * TTL. A request reads the longest prefix seen before, writes the rest up to its last breakpoint, and pays
 * plain input tokens for what follows. A hit refreshes the TTL, as the API does.
 */
export class PromptCache {
  readonly #expiresAt = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Usage for a prompt, updating the cache as the API would. */
  use(model: string, segments: readonly PromptSegment[]): InputUsage {
    const now = this.#now();
    for (const [hash, expiresAt] of this.#expiresAt) {
      if (expiresAt <= now) this.#expiresAt.delete(hash);
    }
    const breakpoints = breakpointsOf(model, segments);
    const total = segments.reduce((sum, segment) => sum + segment.tokens, 0);
    const readIndex = breakpoints.findLastIndex((breakpoint) => this.#expiresAt.has(breakpoint.hash));
    const read = breakpoints[readIndex]?.prefixTokens ?? 0;
    const creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
    let covered = read;
    for (const breakpoint of breakpoints.slice(readIndex + 1)) {
      const field = breakpoint.ttl === '1h' ? 'ephemeral_1h_input_tokens' : 'ephemeral_5m_input_tokens';
      creation[field] += breakpoint.prefixTokens - covered;
      covered = breakpoint.prefixTokens;
    }
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

function breakpointsOf(model: string, segments: readonly PromptSegment[]): Breakpoint[] {
  // One running hash, copied at each breakpoint, so every prefix is hashed once.
  const hash = createHash('sha256').update(`${model}\0`);
  const breakpoints: Breakpoint[] = [];
  let prefixTokens = 0;
  for (const segment of segments) {
    hash.update(`${segment.key}\0`);
    prefixTokens += segment.tokens;
    if (segment.breakpoint !== undefined) {
      breakpoints.push({ hash: hash.copy().digest('hex'), ttl: segment.breakpoint, prefixTokens });
    }
  }
  return breakpoints;
}
