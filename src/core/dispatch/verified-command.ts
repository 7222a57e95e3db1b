import type { Command } from '../commands/command.ts';

/**
 * A command read from a comment GitHub showed the job itself (not from a dispatch input): the comment exists on
 * the session's issue, its author may give commands, and its body parses to `command`.
 */
export interface VerifiedCommand {
  commentId: number;
  /** The comment's author: the one recorded as approver (or starter). */
  login: string;
  command: Command;
  /** The comment's `created_at` (GitHub's clock, whole seconds). */
  at: string;
  url: string;
}
