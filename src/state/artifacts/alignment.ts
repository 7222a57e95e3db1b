import { z } from 'zod';
import { acIdSchema, gitShaSchema, requirementIdSchema, textSchema } from '../primitives.ts';

/*
 * Split of the alignment artifact: the model submits everything except `specRef`, which the orchestrator fills
 * from git (the spec path in config and its blob sha at the session base), so the model cannot misquote it.
 */

export const alignmentVerdictSchema = z
  .enum(['aligned', 'misaligned', 'needs_clarification'])
  .describe(
    '`aligned` opens the gate; `misaligned` and `needs_clarification` block the session for a person.',
  );

export const requirementSchema = z
  .strictObject({
    id: requirementIdSchema,
    text: textSchema().describe('The requirement, in one or two sentences.'),
    source: textSchema(500).describe('Where it comes from: spec anchor (`docs/SPEC.md#auth`) or `task X.Y`.'),
  })
  .meta({
    title: 'Requirement',
    description: 'A requirement of the task, traced to the spec or the task text.',
  });

export const acceptanceCriterionSchema = z
  .strictObject({
    id: acIdSchema,
    text: textSchema().describe('The criterion in Given/When/Then or EARS form.'),
    verifyBy: z
      .enum(['test', 'command', 'inspection'])
      .describe('How verification will prove it: an automated test, a command, or reading the code.'),
  })
  .meta({
    title: 'Acceptance criterion',
    description: 'A checkable criterion the verification phase judges.',
  });

export const scopeSchema = z
  .strictObject({
    filesIn: z.array(z.string().min(1)).describe('Paths or globs the implementation may change.'),
    filesForbidden: z.array(z.string().min(1)).describe('Paths or globs the implementation must not touch.'),
    outOfScope: z.array(textSchema(500)).describe('Work explicitly left out of this task.'),
  })
  .meta({
    title: 'Scope',
    description: 'What may change; a change outside it is reported as an unrequested gap in verification.',
  });

export const decisionSchema = z
  .strictObject({
    decision: textSchema(500).describe('What was decided.'),
    rationale: textSchema(1000).describe('Why.'),
  })
  .meta({ title: 'Decision', description: 'A decision made during alignment, with its reason.' });

/** What the alignment model submits through its `submit_result` tool. */
export const alignmentSubmissionSchema = z
  .strictObject({
    verdict: alignmentVerdictSchema,
    requirements: z.array(requirementSchema).describe('Requirements of the task.'),
    acceptanceCriteria: z.array(acceptanceCriterionSchema).describe('Acceptance criteria `AC-1`, `AC-2`, …'),
    tasks: z.array(textSchema(500)).describe('Implementation steps, in order.'),
    scope: scopeSchema,
    decisions: z.array(decisionSchema).describe('Decisions and their reasons.'),
    risks: z.array(textSchema(500)).describe('Risks the implementation should watch for.'),
    questions: z
      .array(textSchema(500))
      .max(5)
      .describe(
        'Open questions for a person (at most 5); required when the verdict is `needs_clarification`.',
      ),
  })
  .meta({
    id: 'alignment-submission',
    title: 'Alignment submission',
    description: 'What the alignment agent submits: every alignment field except `specRef`.',
  });

/** The alignment artifact body: the submission plus the spec reference the orchestrator fills. */
export const alignmentBodySchema = z
  .strictObject({
    specRef: z
      .strictObject({
        path: z.string().min(1).describe('Repository path of the product spec.'),
        blobSha: gitShaSchema.describe('Git blob sha of the spec the alignment was judged against.'),
      })
      .describe('The exact spec version, filled by the orchestrator from git.'),
    ...alignmentSubmissionSchema.shape,
  })
  .meta({
    id: 'alignment-body',
    title: 'Alignment artifact body',
    description: 'Is the task consistent with the spec, and what exactly is to be built (ARCHITECTURE §2).',
  });

export type AlignmentSubmission = z.infer<typeof alignmentSubmissionSchema>;
export type AlignmentBody = z.infer<typeof alignmentBodySchema>;
export type AcceptanceCriterion = z.infer<typeof acceptanceCriterionSchema>;
