import { z } from 'zod';
import { acIdSchema, countSchema, gitShaSchema, textSchema } from '../primitives.ts';
import { setupSchema } from './verification.ts';

/*
 * Split of the implementation artifact: the model submits only `summary` and `criteriaNotes`. The orchestrator
 * fills `baseSha`, `headSha`, `commits` and `filesChanged` from git, and `commands` from its own log of the
 * agent's command-tool calls, so none of the facts a reviewer relies on are the model's say-so.
 */

export const criterionNoteSchema = z
  .strictObject({
    id: acIdSchema,
    note: textSchema(1000).describe('How the change addresses this criterion, and where.'),
  })
  .meta({ title: 'Criterion note', description: "The implementer's note on one acceptance criterion." });

export const commitRefSchema = z
  .strictObject({
    sha: gitShaSchema,
    subject: z.string().describe('First line of the commit message.'),
  })
  .meta({ title: 'Commit', description: 'A commit the implementation made on the session branch.' });

export const fileChangeSchema = z
  .strictObject({
    path: z.string().min(1).describe('Repository path after the change.'),
    previousPath: z.string().min(1).optional().describe('Path before a rename.'),
    status: z.enum(['added', 'modified', 'deleted', 'renamed']).describe('Kind of change.'),
    additions: countSchema.describe('Lines added (0 for binary files).'),
    deletions: countSchema.describe('Lines deleted (0 for binary files).'),
  })
  .meta({ title: 'File change', description: 'One file changed between `baseSha` and `headSha`.' });

export const commandRunSchema = z
  .strictObject({
    command: z.string().min(1).describe('The command line as run.'),
    exitCode: z
      .number()
      .int()
      .nullable()
      .describe('Exit code; null when the command was killed (time limit or signal).'),
  })
  .meta({ title: 'Command run', description: 'A command the agent ran, and how it exited.' });

/** What the implementation model submits through its `submit_result` tool. */
export const implementationSubmissionSchema = z
  .strictObject({
    summary: textSchema(4000).describe('What was changed and why, for the reviewer and the verifier.'),
    commitSubject: textSchema(100)
      .optional()
      .describe(
        'The squashed commit\'s subject: what the change does, imperative, one line, no type prefix (e.g. "add median of an array"). Absent: the task\'s title.',
      ),
    criteriaNotes: z.array(criterionNoteSchema).describe('One note per acceptance criterion addressed.'),
  })
  .meta({
    id: 'implementation-submission',
    title: 'Implementation submission',
    description: 'What the implementation agent submits: its summary and per-criterion notes.',
  });

/** The implementation artifact body: git facts and the command log from the orchestrator, plus the submission. */
export const implementationBodySchema = z
  .strictObject({
    baseSha: gitShaSchema.describe('Session-branch commit the phase started from.'),
    headSha: gitShaSchema.describe('Session-branch head when the phase finished.'),
    commits: z.array(commitRefSchema).describe('Commits in `baseSha..headSha`, oldest first.'),
    filesChanged: z.array(fileChangeSchema).describe('Files changed in `baseSha..headSha`.'),
    ...implementationSubmissionSchema.shape,
    setup: setupSchema
      .optional()
      .describe('Set-up run before the agent started (absent in artifacts from before set-up existed).'),
    commands: z.array(commandRunSchema).describe("The agent's command-tool calls, in order."),
  })
  .meta({
    id: 'implementation-body',
    title: 'Implementation artifact body',
    description: 'What the implementation changed on the session branch (ARCHITECTURE §2).',
  });

export type ImplementationSubmission = z.infer<typeof implementationSubmissionSchema>;
export type ImplementationBody = z.infer<typeof implementationBodySchema>;
export type FileChange = z.infer<typeof fileChangeSchema>;
export type CommitRef = z.infer<typeof commitRefSchema>;
