import { describe, expect, it } from 'vitest';
import { PHASES } from '../../src/core/phases.ts';
import { ARTIFACT_SCHEMAS, SUBMISSION_SCHEMAS } from '../../src/state/artifacts/index.ts';
import { ENVELOPE_SCHEMAS, envelopeSchemaId } from '../../src/state/envelope.ts';
import { alignmentEnvelope, implementationEnvelope, verificationEnvelope } from './fixtures.ts';

describe('artifact schemas', () => {
  it.each(PHASES.filter((phase) => phase !== 'commit'))(
    'the %s submission is a part of the body: every submitted field is a body field',
    (phase) => {
      const body = Object.keys(ARTIFACT_SCHEMAS[phase].shape);
      for (const key of Object.keys(SUBMISSION_SCHEMAS[phase].shape)) expect(body).toContain(key);
    },
  );

  it('the implementation model submits only its summary, commit subject and notes, not git facts', () => {
    expect(Object.keys(SUBMISSION_SCHEMAS.implementation.shape).sort()).toEqual([
      'commitSubject',
      'criteriaNotes',
      'summary',
    ]);
  });

  it('the verification model submits criteria and gaps, not checks or the verdict', () => {
    expect(Object.keys(SUBMISSION_SCHEMAS.verification.shape).sort()).toEqual(['criteria', 'gaps']);
  });

  it('accepts a body built from a submission plus what the orchestrator fills', () => {
    const { specRef, ...submitted } = alignmentEnvelope().body;
    const submission = SUBMISSION_SCHEMAS.alignment.parse(submitted);
    expect(ARTIFACT_SCHEMAS.alignment.parse({ specRef, ...submission })).toEqual(alignmentEnvelope().body);
    const { summary, criteriaNotes } = implementationEnvelope().body;
    expect(SUBMISSION_SCHEMAS.implementation.parse({ summary, criteriaNotes })).toEqual({
      summary,
      criteriaNotes,
    });
  });

  it.each([
    ['six questions', { questions: ['1', '2', '3', '4', '5', '6'] }],
    ['a requirement id without R-', { requirements: [{ id: '1', text: 't', source: 's' }] }],
    ['an unknown verifyBy', { acceptanceCriteria: [{ id: 'AC-1', text: 't', verifyBy: 'vibes' }] }],
    ['the specRef the orchestrator fills', { specRef: { path: 'docs/SPEC.md', blobSha: 'a'.repeat(40) } }],
  ])('refuses an alignment submission with %s', (_label, patch) => {
    const { specRef: _s, ...submitted } = alignmentEnvelope().body;
    expect(SUBMISSION_SCHEMAS.alignment.safeParse({ ...submitted, ...patch }).success).toBe(false);
  });

  it('refuses a verification body with a verdict outside pass/fail', () => {
    const body = { ...verificationEnvelope().body, verdict: 'partial' };
    expect(ARTIFACT_SCHEMAS.verification.safeParse(body).success).toBe(false);
  });

  it.each(PHASES)('the %s envelope carries ipo.<phase>/v1 and refuses another phase', (phase) => {
    expect(envelopeSchemaId(phase)).toBe(`ipo.${phase}/v1`);
    const other = { ...alignmentEnvelope(), schema: envelopeSchemaId(phase) };
    expect(ENVELOPE_SCHEMAS[phase].safeParse(other).success).toBe(phase === 'alignment');
  });
});
