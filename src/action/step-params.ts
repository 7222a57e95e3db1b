import type { Octokit } from '@octokit/rest';
import type { StateTrust } from '../github/marker-trust.ts';
import type { ActionOutputs } from './action-outputs.ts';

/** What each step of the phase workflow gets from its composition root (`compose.ts`), whatever its inputs. */
export interface StepParams {
  repo: { owner: string; repo: string };
  /** Whose status comments count, and (in the write step only) the key that seals them. */
  trust: StateTrust;
  workspace: string;
  tempDir: string;
  /** This run: its id, its page, and the commit it runs (`GITHUB_SHA`, the run's `head_sha`). */
  run?: { id: number; url: string; sha?: string };
  octokit: Octokit;
  redact: (text: string) => string;
  now: () => Date;
  log: { info: (message: string) => void; warning: (message: string) => void };
  writeSummary: (markdown: string) => Promise<void>;
}

/** What a step hands back to its entry: its outputs and the line it logs. */
export interface StepResult {
  outputs: ActionOutputs;
  message: string;
}
