import { z } from 'zod';
import type { Phase } from '../core/phases.ts';
import { ARTIFACT_SCHEMAS } from './artifacts/index.ts';
import { countSchema, inputRefSchema, isoDateTimeSchema, sessionIdSchema } from './primitives.ts';

/** The `schema` value of a phase's envelope, e.g. `ipo.alignment/v1`. */
export type EnvelopeSchemaId<P extends Phase> = `ipo.${P}/v1`;

/** The `schema` string an envelope of `phase` must carry. */
export function envelopeSchemaId<P extends Phase>(phase: P): EnvelopeSchemaId<P> {
  return `ipo.${phase}/v1`;
}

const TITLES: Record<Phase, string> = {
  alignment: 'Alignment artifact',
  implementation: 'Implementation artifact',
  verification: 'Verification artifact',
  commit: 'Commit artifact',
};

function envelopeSchemaFor<P extends Phase>(phase: P) {
  return z
    .strictObject({
      schema: z.literal(envelopeSchemaId(phase)).describe('Artifact kind and version.'),
      session: sessionIdSchema,
      phase: z.literal(phase).describe('The phase that exported this artifact.'),
      attempt: countSchema.min(1).describe('Attempt of the phase that exported it, from 1.'),
      createdAt: isoDateTimeSchema,
      inputs: z.array(inputRefSchema).describe('What the phase read, with digests (the chain of custody).'),
      body: ARTIFACT_SCHEMAS[phase] as (typeof ARTIFACT_SCHEMAS)[P],
    })
    .meta({
      id: phase,
      title: TITLES[phase],
      description: `Envelope of the ${phase} phase's exported artifact (\`${phase}.json\` in the session directory).`,
    });
}

export const alignmentEnvelopeSchema = envelopeSchemaFor('alignment');
export const implementationEnvelopeSchema = envelopeSchemaFor('implementation');
export const verificationEnvelopeSchema = envelopeSchemaFor('verification');
export const commitEnvelopeSchema = envelopeSchemaFor('commit');

/** The envelope schema of each phase's artifact file. */
export const ENVELOPE_SCHEMAS = {
  alignment: alignmentEnvelopeSchema,
  implementation: implementationEnvelopeSchema,
  verification: verificationEnvelopeSchema,
  commit: commitEnvelopeSchema,
} as const satisfies Record<Phase, z.ZodType>;

export type EnvelopeOf<P extends Phase> = z.infer<(typeof ENVELOPE_SCHEMAS)[P]>;
/** Any phase's artifact envelope; `phase` discriminates. */
export type Envelope = { [P in Phase]: EnvelopeOf<P> }[Phase];
