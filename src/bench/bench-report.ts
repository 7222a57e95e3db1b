import { z } from 'zod';

export const MODEL_PHASES = ['alignment', 'implementation', 'verification'] as const;
export type ModelPhase = (typeof MODEL_PHASES)[number];

const count = z.number().nonnegative();

export const TokenFiguresSchema = z.strictObject({
  peakInput: count.describe('Largest input of one call: the context needed at the peak.'),
  totalInput: count.describe('Input processed over all calls (fresh + cache writes + cache reads).'),
  billedInput: count.describe("Input billed, in fresh-input tokens, at the model's cache multipliers."),
  calls: z.number().int().nonnegative(),
});

export const RatioSchema = z.strictObject({ peakInput: count, totalInput: count, billedInput: count });

/** Figures of one isolated variant, with each as a ratio of the monolithic figure measured in the same run. */
const VariantFiguresSchema = TokenFiguresSchema.extend({ ratio: RatioSchema });

const perPhase = <T extends z.ZodType>(schema: T) =>
  z.strictObject({ alignment: schema, implementation: schema, verification: schema });

export const ScenarioReportSchema = z.strictObject({
  scenario: z.string().describe('S, M, L, or the script a person passed.'),
  model: z.string(),
  monolithic: z.strictObject({ phases: perPhase(TokenFiguresSchema), session: TokenFiguresSchema }),
  variants: z.array(
    z.strictObject({
      name: z.string(),
      /** The config written over the scenario's `.github/ipo.yml` for this variant. */
      config: z.record(z.string(), z.unknown()),
      phases: perPhase(VariantFiguresSchema),
      session: VariantFiguresSchema,
      /** Tokens of each phase's handoff artifact (its submitted body), what the next phase receives. */
      handoffTokens: perPhase(count),
    }),
  ),
});
export type ScenarioReport = z.infer<typeof ScenarioReportSchema>;

/** What `ipo bench isolation --json` prints. */
export const BenchReportSchema = z.strictObject({
  scenarios: z.array(ScenarioReportSchema),
  tokenCounts: z.string().describe('How the token figures were counted, and what that means for them.'),
  plot: z.string().optional().describe('The SVG plot written, when `--out` was given.'),
});
export type BenchReport = z.infer<typeof BenchReportSchema>;
