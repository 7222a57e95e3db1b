import { z } from 'zod';
import { countSchema } from './primitives.ts';

const tokenFields = {
  inputTokens: countSchema.describe('Uncached input tokens billed.'),
  outputTokens: countSchema.describe('Output tokens generated.'),
  cacheCreationInputTokens: countSchema.describe('Input tokens written to the prompt cache.'),
  cacheReadInputTokens: countSchema.describe('Input tokens read from the prompt cache.'),
};

/** Token usage of one Messages API call, as the API reported it. */
export const callMetricsSchema = z
  .strictObject({
    ...tokenFields,
    stopReason: z
      .string()
      .nullable()
      .describe('The API stop reason (`end_turn`, `tool_use`, `max_tokens`, `refusal`, …); null if none.'),
    durationMs: countSchema.describe('Wall time of the call, including SDK retries, in milliseconds.'),
  })
  .meta({ title: 'Call metrics', description: 'Usage and timing of one model call.' });

/**
 * What one phase run cost. The token fields at the top level are the totals over `calls`; the shape is the agent's
 * `AgentMetrics` (src/agent/metrics.ts) so a run's metrics go into the ledger as they are.
 */
export const metricsSchema = z
  .strictObject({
    model: z.string().min(1).describe('Model id the phase ran with.'),
    turns: countSchema.describe('Agent turns (model calls) taken.'),
    durationMs: countSchema.describe('Wall time of the whole phase run, in milliseconds.'),
    costUsd: z.number().min(0).describe("Estimated cost in US dollars from the model's list prices."),
    ...tokenFields,
    peakInputTokens: countSchema.describe(
      'Largest input of one call, cache included: the context size needed.',
    ),
    calls: z.array(callMetricsSchema).describe('One entry per model call, in order.'),
  })
  .meta({
    id: 'metrics',
    title: 'Phase run metrics',
    description: 'Token totals, turns, wall time and cost of one phase run, with per-call usage.',
  });

export type CallMetrics = z.infer<typeof callMetricsSchema>;
export type Metrics = z.infer<typeof metricsSchema>;
