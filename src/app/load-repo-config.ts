import type { Context } from 'probot';
import { type Config, configSchema } from '../state/config.ts';
import { StateError } from '../state/state-error.ts';
import { validate } from '../state/validate.ts';

/**
 * `.github/ipo.yml` from the default branch through Probot's config plugin (never from a session branch or a PR),
 * validated by the same zod schema as everywhere else.
 */
export async function loadRepoConfig(
  context: Context<'issue_comment.created'>,
): Promise<{ ok: true; value: Config } | { ok: false; message: string }> {
  try {
    const raw = (await context.config('ipo.yml')) ?? {};
    return { ok: true, value: validate(configSchema, raw, '.github/ipo.yml') };
  } catch (error) {
    if (error instanceof StateError) return { ok: false, message: error.message };
    return { ok: false, message: `.github/ipo.yml could not be read: ${(error as Error).message}` };
  }
}
