import { GATED_PHASES, PHASES, proceedPhrase } from '../phases.ts';

/** Every phrase ipo acts on, as people should write them (placeholders in `X.Y` and `<phase>`). */
export const VALID_PHRASES: readonly string[] = [
  "I'm going to start phase X.Y",
  "I'm going to start implementation of phase X.Y",
  ...GATED_PHASES.map(proceedPhrase),
  'retry <phase>',
  'rollback <phase>',
  'cancel session',
  'ipo status',
];

const code = (text: string): string => `\`${text}\``;

/** Markdown help listing the valid phrases, for replies to comments that did not hold a usable command. */
export function describeValidPhrases(): string {
  return [
    'Valid commands (one per comment, alone on its own line; case does not matter, one trailing `.` or `!` is fine):',
    `- ${code("I'm going to start phase X.Y")} or ${code("I'm going to start implementation of phase X.Y")}` +
      ` (X.Y is a task id such as ${code('2.4')} or ${code('1.10.3')})`,
    `- ${GATED_PHASES.map((phase) => code(proceedPhrase(phase))).join(', ')} (at the matching gate)`,
    `- ${code('retry <phase>')} (lines after it are feedback for the retry)`,
    `- ${code('rollback <phase>')}`,
    `- ${code('cancel session')}`,
    `- ${code('ipo status')}`,
    '',
    `where ${code('<phase>')} is one of ${PHASES.map(code).join(', ')}.`,
  ].join('\n');
}
