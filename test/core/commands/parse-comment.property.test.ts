import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/core/commands/command.ts';
import { parseComment } from '../../../src/core/commands/parse-comment.ts';
import { GATED_PHASES, PHASES } from '../../../src/core/phases.ts';

// --- generators -------------------------------------------------------------------------------------------------

const taskId = fc
  .tuple(fc.nat(9999), fc.nat(9999), fc.option(fc.nat(9999), { nil: undefined }))
  .map(([x, y, z]) => (z === undefined ? `${x}.${y}` : `${x}.${y}.${z}`));

/** A command and one way a person might type it: any casing, either apostrophe, extra spaces, one `.`/`!`. */
const typedCommand: fc.Arbitrary<{ command: Command; text: string }> = fc
  .tuple(
    fc.oneof(
      fc.tuple(taskId, fc.boolean()).map(([id, long]) => ({
        command: { name: 'start', taskId: id } as Command,
        text: `I'm going to start ${long ? 'implementation of ' : ''}phase ${id}`,
      })),
      fc.constantFrom(...GATED_PHASES).map((phase) => ({
        command: { name: 'proceed', phase } as Command,
        text: `proceed to ${phase}`,
      })),
      fc
        .constantFrom(...PHASES)
        .map((phase) => ({ command: { name: 'retry', phase } as Command, text: `retry ${phase}` })),
      fc.constantFrom(...PHASES).map((phase) => ({
        command: { name: 'rollback', phase } as Command,
        text: `rollback ${phase}`,
      })),
      fc.constant({ command: { name: 'cancel' } as Command, text: 'cancel session' }),
      fc.constant({ command: { name: 'status' } as Command, text: 'ipo status' }),
    ),
    fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
    fc.boolean(),
    fc.constantFrom(' ', '  ', '\t', ' \u00a0'),
    fc.constantFrom('', '.', '!'),
    fc.constantFrom('', ' ', '   '),
  )
  .map(([{ command, text }, upper, curly, space, end, pad]) => {
    const cased = [...text].map((char, i) => (upper[i % upper.length] ? char.toUpperCase() : char)).join('');
    const typed = cased.replaceAll("'", curly ? '\u2019' : "'").replaceAll(' ', space);
    return { command, text: `${pad}${typed}${end}${pad}` };
  });

/** Prose that can never form or resemble a command: no command keyword at all. */
const safeLine = fc
  .array(
    fc.constantFrom('lorem', 'ipsum', 'dolor', 'thanks', 'looks', 'good', 'see', 'above', 'ok', 'Nice.'),
    {
      minLength: 1,
      maxLength: 8,
    },
  )
  .map((words) => words.join(' '));
const safeText = fc.array(safeLine, { maxLength: 3 }).map((lines) => lines.join('\n'));

/** Markdown-ish soup: fragments that open and close the constructs the parser tracks, plus command pieces. */
const soup = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '```',
        '~~~',
        '````',
        '> ',
        '>',
        '<!--',
        '-->',
        '<!-->',
        '`',
        '``',
        '\\',
        '    ',
        '\t',
        '\n',
        '\r\n',
        '\r',
        ' ',
        'proceed to commit',
        'retry verification',
        "I'm going to start phase 2.4",
        'cancel session',
        'ipo status',
        'procede to',
        'rollback',
        '.',
        '!',
      ),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

// --- oracle -----------------------------------------------------------------------------------------------------

function normalize(line: string): string {
  const collapsed = line.trim().replace(/\s+/g, ' ');
  return collapsed.replace(/[.!]$/, '').toLowerCase().replaceAll('\u2019', "'");
}

function forms(command: Command): string[] {
  switch (command.name) {
    case 'start':
      return [
        `i'm going to start phase ${command.taskId}`,
        `i'm going to start implementation of phase ${command.taskId}`,
      ];
    case 'proceed':
      return [`proceed to ${command.phase}`];
    case 'retry':
      return [`retry ${command.phase}`];
    case 'rollback':
      return [`rollback ${command.phase}`];
    case 'cancel':
      return ['cancel session'];
    case 'status':
      return ['ipo status'];
  }
}

/** True when some line of `body`, read with HTML comments cut out, is exactly a phrase of `command`. */
function someLineStates(body: string, command: Command): boolean {
  const wanted = forms(command);
  return body.split(/\r\n|\r|\n/).some((line) => {
    const cut = line.replace(/<!--(?:>|->|[\s\S]*?-->)/g, '');
    const afterClose = line.slice(line.lastIndexOf('-->') + 3);
    const beforeOpen = cut.split('<!--')[0] ?? '';
    return [line, cut, afterClose, beforeOpen].some((candidate) => wanted.includes(normalize(candidate)));
  });
}

// --- properties -------------------------------------------------------------------------------------------------

describe('parseComment properties', () => {
  it.each([
    ['any code points', fc.string({ unit: 'binary', maxLength: 400 })],
    ['any graphemes', fc.string({ unit: 'grapheme', maxLength: 200 })],
    ['markdown soup', soup],
  ])('never throws and returns a well-formed result for %s', (_, body) => {
    fc.assert(
      fc.property(body, (text) => {
        const parsed = parseComment(text);
        expect(['command', 'reply', 'ignore']).toContain(parsed.kind);
        if (parsed.kind === 'reply') expect(parsed.text.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('never finds a command in text built from words that cannot form one', () => {
    const word = fc.constantFrom(
      'proceed',
      'Proceed',
      'to',
      'TO',
      'retry',
      'rollback',
      'cancel',
      'ipo',
      "I'm",
      'going',
      'start',
      'review',
      'tomorrow',
      'sessions',
      'stat',
      'phases',
      '2.4',
      '1.10.3',
      '.',
      '!',
      '?',
      '>',
      '`',
      '<!--',
      '-->',
      '```',
      '~~~',
      '-',
    );
    const separator = fc.constantFrom(' ', '  ', '\n', '\r\n', '\n\n', '\t', '    ');
    const body = fc.array(fc.tuple(word, separator), { maxLength: 40 }).map((parts) => parts.flat().join(''));
    fc.assert(
      fc.property(body, (text) => {
        expect(parseComment(text).kind).not.toBe('command');
      }),
      { numRuns: 500 },
    );
  });

  it('returns a command only when some line of the input states exactly that phrase', () => {
    const line = fc.oneof(
      typedCommand.map(({ text }) => text),
      safeLine,
      soup,
      fc.constantFrom(
        '```',
        '~~~',
        '> quoted',
        '<!--',
        '-->',
        '',
        '    indented',
        'proceed to comit',
        'retry',
      ),
      fc.string({ maxLength: 20 }),
    );
    const body = fc
      .tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'))
      .map(([lines, eol]) => lines.join(eol));
    fc.assert(
      fc.property(body, (text) => {
        const parsed = parseComment(text);
        if (parsed.kind === 'command') expect(someLineStates(text, parsed.command)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('finds a typed command alone on its line among ordinary prose', () => {
    fc.assert(
      fc.property(safeText, typedCommand, safeText, (before, { command, text }, after) => {
        const parsed = parseComment([before, '', text, '', after].join('\n'));
        expect(parsed.kind).toBe('command');
        const { feedback, ...found } =
          parsed.kind === 'command' ? { feedback: undefined, ...parsed.command } : {};
        expect(found).toEqual(command);
        // A retry or an approval takes the prose after it as feedback; nothing else carries feedback.
        const carries =
          command.name === 'retry' || (command.name === 'proceed' && command.phase !== 'commit');
        expect(feedback).toBe(carries && after !== '' ? after : undefined);
      }),
      { numRuns: 300 },
    );
  });

  it('never takes a command wrapped in a quote, code or an HTML comment', () => {
    const wrapped = fc
      .tuple(
        typedCommand.map(({ text }) => text.trim()),
        fc.constantFrom(
          (p: string) => `> ${p}`,
          (p: string) => `>${p}`,
          (p: string) => `> > ${p}`,
          (p: string) => `   > ${p}`,
          (p: string) => `> earlier words\n> ${p}`,
          (p: string) => `> earlier words\n>\n> > ${p}`,
          (p: string) => `\`\`\`\n${p}\n\`\`\``,
          (p: string) => `\`\`\`text\n${p}\n\`\`\``,
          (p: string) => `~~~\n${p}\n~~~`,
          (p: string) => `~~~ markdown\n${p}`,
          (p: string) => `\`\`\`\`\n\`\`\`\n${p}\n\`\`\`\``,
          (p: string) => `    ${p}`,
          (p: string) => `\t${p}`,
          (p: string) => `  \t${p}`,
          (p: string) => `\`${p}\``,
          (p: string) => `\`\`${p}\`\``,
          (p: string) => `see \`${p}\` here`,
          (p: string) => `${p} \`x\``,
          (p: string) => `a \`b\n${p}\nc\` d`,
          (p: string) => `<!-- ${p} -->`,
          (p: string) => `<!--\n${p}\n-->`,
          (p: string) => `ok <!--\n${p}`,
          (p: string) => `<!-- a -->\n<!--\n\n${p}\n\n-->`,
        ),
        safeText,
        safeText,
        fc.constantFrom('\n', '\r\n'),
      )
      .map(([phrase, wrap, before, after, eol]) =>
        [before, '', wrap(phrase), '', after].join('\n').replaceAll('\n', eol),
      );
    fc.assert(
      fc.property(wrapped, (text) => {
        expect(parseComment(text)).toEqual({ kind: 'ignore' });
      }),
      { numRuns: 500 },
    );
  });
});
