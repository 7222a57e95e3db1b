import Anthropic from '@anthropic-ai/sdk';

/**
 * Where the model key comes from. A fixed key today (the CLI's `ANTHROPIC_API_KEY`, the Action's `anthropic-api-key`
 * input); the seam for keys that are fetched instead — an OIDC-based provider exchanging the job's identity token —
 * is the function form, which the SDK calls before its requests (and again when a key is refused). `null`: no key,
 * for a phase that calls no model.
 */
export type ModelKeySource = string | null | (() => Promise<string>);

export interface ModelClientSettings {
  key: ModelKeySource;
  /** `ANTHROPIC_BASE_URL` when set: a proxy, or the replay server in tests and the demo. */
  baseURL?: string | undefined;
}

/** The SDK's own retries (429, 5xx, 529, connection errors) before ipo's longer 529 waits. */
const SDK_RETRIES = 4;

/** The one place ipo builds its Anthropic client, for the CLI's phase process and the Action alike. */
export function createModelClient({ key, baseURL }: ModelClientSettings): Anthropic {
  return new Anthropic({
    apiKey: key,
    ...(baseURL ? { baseURL } : {}),
    maxRetries: SDK_RETRIES,
    logLevel: 'off',
  });
}
