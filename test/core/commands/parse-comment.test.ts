import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/core/commands/command.ts';
import { parseComment } from '../../../src/core/commands/parse-comment.ts';
import { describeValidPhrases, VALID_PHRASES } from '../../../src/core/commands/valid-phrases.ts';

const commit: Command = { name: 'proceed', phase: 'commit' };

describe('parseComment: commands', () => {
  it.each<[string, string, Command]>([
    ['the start phrase', "I'm going to start phase 2.4", { name: 'start', taskId: '2.4' }],
    [
      'the long start phrase',
      "I'm going to start implementation of phase 2.4",
      { name: 'start', taskId: '2.4' },
    ],
    ['a curly apostrophe', 'I\u2019m going to start phase 2.4', { name: 'start', taskId: '2.4' }],
    ['a three-part task id', "I'm going to start phase 1.10.3", { name: 'start', taskId: '1.10.3' }],
    [
      'a task id and a trailing dot',
      "I'm going to start implementation of phase 1.10.3.",
      { name: 'start', taskId: '1.10.3' },
    ],
    ['shouting', "I'M GOING TO START PHASE 3.1!", { name: 'start', taskId: '3.1' }],
    ['proceed to implementation', 'proceed to implementation', { name: 'proceed', phase: 'implementation' }],
    ['proceed to verification', 'proceed to verification', { name: 'proceed', phase: 'verification' }],
    ['proceed to commit', 'proceed to commit', commit],
    ['title case', 'Proceed To Commit', commit],
    ['upper case', 'PROCEED TO COMMIT', commit],
    ['one trailing dot', 'proceed to commit.', commit],
    ['one trailing bang', 'Proceed to commit!', commit],
    ['leading and trailing spaces', '   proceed to commit   ', commit],
    ['two inner spaces', 'proceed  to   commit', commit],
    ['an inner tab', 'proceed\tto commit', commit],
    ['CRLF line ends', 'LGTM, thanks.\r\nproceed to commit\r\n', commit],
    ['old Mac CR line ends', 'LGTM\rproceed to commit\r', commit],
    ['a line among prose', 'Looked at the diff.\n\nproceed to commit\n\nThanks!', commit],
    ['a line right after a prose line', 'Looks good\nproceed to commit', commit],
    ['an indented line continuing a paragraph', 'Looks good\n    proceed to commit', commit],
    ['a line after a closed fence', '```\ncode\n```\nproceed to commit', commit],
    ['a line after a closed ~~~ fence', '~~~~ sh\nls\n~~~~\nproceed to commit', commit],
    ['a line after a quote and a blank line', '> you said\n\nproceed to commit', commit],
    ['a line after a closed HTML comment', '<!-- a\nb -->\nproceed to commit', commit],
    ['the visible rest of a comment line', '<!-- note --> proceed to commit', commit],
    ['text after a multi-line comment closes', '<!--\nhidden\n-->proceed to commit', commit],
    ['an empty CommonMark comment', '<!---->\nproceed to commit', commit],
    ['a line with a closed code span before it', 'run `npm test`\nproceed to commit', commit],
    ['retry alignment', 'retry alignment', { name: 'retry', phase: 'alignment' }],
    ['retry commit', 'Retry commit.', { name: 'retry', phase: 'commit' }],
    ['rollback implementation', 'rollback implementation', { name: 'rollback', phase: 'implementation' }],
    ['rollback alignment', 'ROLLBACK alignment!', { name: 'rollback', phase: 'alignment' }],
    ['cancel session', 'cancel session', { name: 'cancel' }],
    ['ipo status', 'ipo status', { name: 'status' }],
    ['ipo status in capitals', 'IPO Status', { name: 'status' }],
    ['the same command twice', 'proceed to commit\nPROCEED TO COMMIT.', commit],
    [
      'both start phrasings for one task',
      "I'm going to start phase 2.4\nI'm going to start implementation of phase 2.4",
      { name: 'start', taskId: '2.4' },
    ],
    ['a command next to a near miss', 'proceed to comit\nproceed to commit', commit],
    ['a near miss after a command', 'ipo status\nipo statsu', { name: 'status' }],
  ])('reads %s as a command', (_, body, expected) => {
    expect(parseComment(body)).toEqual({ kind: 'command', command: expected });
  });
});

describe('parseComment: what never counts', () => {
  it.each([
    ['an empty body', ''],
    ['whitespace only', ' \n\t\r\n '],
    ['ordinary prose', 'Looks good to me, thanks!'],
    ['the phrase inside a sentence', 'I think we can proceed to commit now'],
    ['the phrase followed by more words on its line', 'proceed to commit and then tell me'],
    ['prose mentioning proceed to review', 'we should proceed to review this later, thanks'],
    ['prose mentioning a retry', "I'll retry tomorrow"],
    ['prose starting a sentence with proceed', 'Proceed with caution: the tests are flaky.'],
    ['prose about starting work', "I'm going to start working on this tomorrow"],
    ['a quoted phrase', '> proceed to commit'],
    ['a quoted phrase without a space', '>proceed to commit'],
    ['a nested quote', '> > proceed to commit'],
    ['a quote with the phrase after text', '> Alice wrote:\n> proceed to commit'],
    ['a quote with the phrase on a lazy line after a blank quote line', '> lgtm\n>\n> proceed to commit'],
    ['an indented quote', '   > proceed to commit'],
    ['a fenced block', '```\nproceed to commit\n```'],
    ['a fenced block with an info string', '```text\nproceed to commit\n```'],
    ['a tilde fence', '~~~\nproceed to commit\n~~~'],
    ['a tilde fence with an info string', '~~~ markdown\nproceed to commit\n~~~'],
    ['an unclosed fence', 'see:\n```\nproceed to commit'],
    ['a fence closed only by a longer fence', '````\n```\nproceed to commit\n````'],
    ['a tilde fence not closed by backticks', '~~~\n```\nproceed to commit\n~~~'],
    ['a fence in CRLF', '```\r\nproceed to commit\r\n```\r\n'],
    ['an indented code block after a blank line', 'Type this:\n\n    proceed to commit'],
    ['an indented code block at the start', '    proceed to commit'],
    ['a tab-indented code block at the start', '\tproceed to commit'],
    ['an indented code block continuing across a blank line', '    code\n\n    proceed to commit'],
    ['an inline code span', '`proceed to commit`'],
    ['a double-backtick code span', '``proceed to commit``'],
    ['a line partly in a code span', 'Write `proceed to commit` when ready'],
    ['a code span with the phrase around it', 'proceed to commit `x`'],
    ['a code span crossing lines', 'Type `this\nproceed to commit\n` please'],
    ['a single-line HTML comment', '<!-- proceed to commit -->'],
    ['a multi-line HTML comment', '<!--\nproceed to commit\n-->'],
    ['an unclosed HTML comment', 'hello <!--\nproceed to commit'],
    ['an HTML comment in CRLF', '<!--\r\nproceed to commit\r\n-->'],
    ['a near miss in a quote', '> proceed to comit'],
    ['a near miss in a fence', '```\nretry review\n```'],
    ['a near miss in an HTML comment', '<!-- rollback foo -->'],
    ['a near miss in a code span', 'Do not write `proceed to review`'],
    ['a question mark ending ordinary prose', 'What does this do?'],
  ])('ignores %s', (_, body) => {
    expect(parseComment(body)).toEqual({ kind: 'ignore' });
  });
});

describe('parseComment: near misses', () => {
  it.each<[string, string | null]>([
    ['proceed to implementaton', 'proceed to implementation'],
    ['proceed to verificaton', 'proceed to verification'],
    ['proceed to comit', 'proceed to commit'],
    ['proceed to verify', 'proceed to verification'],
    ['proceed to review', null],
    ['proceed to alignment', null],
    ['proceed', null],
    ['procede to commit', 'proceed to commit'],
    ['proceed too commit', 'proceed to commit'],
    ['proceed to commit please', 'proceed to commit'],
    ['proceed to commit..', 'proceed to commit'],
    ['proceed to commit?', 'proceed to commit'],
    ['**proceed to commit**', 'proceed to commit'],
    ['- proceed to commit', 'proceed to commit'],
    ['"proceed to commit"', 'proceed to commit'],
    ['retry review', null],
    ['retry', null],
    ['retry implementaion', 'retry implementation'],
    ['retry the verification', 'retry verification'],
    ['retry verification: add a test for the empty case', 'retry verification'],
    ['rollback foo', null],
    ['roll back commit', 'rollback commit'],
    ['rolback commit', 'rollback commit'],
    ['rollback', null],
    ['cancel', 'cancel session'],
    ['cancel sesion', 'cancel session'],
    ['cancel the session', 'cancel session'],
    ['ipo statsu', 'ipo status'],
    ['ipo help', null],
    ["I'm going to start phase 2", null],
    ["I'm going to start phase two", null],
    ["I'm going to start phase 2.4.1.1", null],
    ["I'm going to start 2.4", "I'm going to start phase 2.4"],
    ['Im going to start phase 2.4', "I'm going to start phase 2.4"],
    ['I am going to start phase 2.4', "I'm going to start phase 2.4"],
    ["I'm going to strat phase 2.4", "I'm going to start phase 2.4"],
    ['I\u2018m going to start phase 2.4', "I'm going to start phase 2.4"],
    ['start phase 2.4', "I'm going to start phase 2.4"],
  ])('answers %j with the valid phrases (suggesting %j)', (body, suggestion) => {
    const parsed = parseComment(body);
    expect(parsed.kind).toBe('reply');
    const text = parsed.kind === 'reply' ? parsed.text : '';
    expect(text).toContain(describeValidPhrases());
    if (suggestion === null) expect(text).not.toContain('Did you mean');
    else expect(text).toContain(`Did you mean \`${suggestion}\`?`);
  });

  it('quotes the line as code so a mention in it pings nobody', () => {
    const parsed = parseComment('retry @octocat');
    expect(parsed).toMatchObject({ kind: 'reply' });
    expect(parsed.kind === 'reply' && parsed.text.startsWith('`retry @octocat` looks like a command')).toBe(
      true,
    );
  });

  it('explains that a phrase right after a quoted line is rendered inside the quote', () => {
    const parsed = parseComment('> Alice: ready?\nproceed to commit');
    expect(parsed.kind).toBe('reply');
    expect(parsed.kind === 'reply' && parsed.text).toContain('`proceed to commit` did not count');
  });
});

describe('parseComment: more than one command', () => {
  it.each<[string, string, string[]]>([
    ['proceed and cancel', 'proceed to commit\ncancel session', ['proceed to commit', 'cancel session']],
    [
      'retry and rollback',
      'retry verification\nrollback implementation',
      ['retry verification', 'rollback implementation'],
    ],
    [
      'two gates',
      'proceed to verification\n\nproceed to commit',
      ['proceed to verification', 'proceed to commit'],
    ],
    [
      'two tasks',
      "I'm going to start phase 2.4\nI'm going to start phase 2.5",
      ["I'm going to start phase 2.4", "I'm going to start phase 2.5"],
    ],
    ['status and cancel in CRLF', 'ipo status\r\ncancel session\r\n', ['ipo status', 'cancel session']],
  ])('refuses %s, naming both', (_, body, phrases) => {
    const parsed = parseComment(body);
    expect(parsed.kind).toBe('reply');
    const text = parsed.kind === 'reply' ? parsed.text : '';
    expect(text).toContain('one command per comment');
    for (const phrase of phrases) expect(text).toContain(`\`${phrase}\``);
  });

  it('still takes the one command when the second is inside a quote', () => {
    expect(parseComment('> cancel session\n\nproceed to commit')).toEqual({
      kind: 'command',
      command: commit,
    });
  });
});

describe('parseComment: retry feedback', () => {
  it.each<[string, string, string | undefined]>([
    ['no lines after it', 'retry verification', undefined],
    ['only blank lines after it', 'retry verification\n\n  \n', undefined],
    [
      'one line',
      'retry verification\nThe empty-list case is not tested.',
      'The empty-list case is not tested.',
    ],
    ['a trimmed block', 'retry verification\n\n   \n  Add a test.  \n\n', 'Add a test.'],
    [
      'two paragraphs, blank runs squeezed',
      'retry implementation\nFirst.\n\n\n\nSecond.',
      'First.\n\nSecond.',
    ],
    ['CRLF lines', 'retry implementation\r\nline one\r\nline two\r\n', 'line one\nline two'],
    ['a nested list, dedented', 'retry alignment\n  - a\n    - b', '- a\n  - b'],
    ['inline code kept', 'retry verification\nRun `npm test` first.', 'Run `npm test` first.'],
    ['quotes dropped', 'retry verification\n> earlier words\n\nplease fix', 'please fix'],
    ['fenced code dropped', 'retry verification\nsee\n```\nlog\n```\nthanks', 'see\nthanks'],
    [
      'HTML comments dropped',
      'retry verification\n<!-- hidden -->\nvisible <!-- not this --> text',
      'visible  text',
    ],
    ['lines before the command left out', 'Context first.\nretry commit\nafter', 'after'],
    ['a repeat of the command left out', 'retry commit\nfix it\nretry commit', 'fix it'],
  ])('keeps %s', (_, body, feedback) => {
    const parsed = parseComment(body);
    expect(parsed.kind).toBe('command');
    const command = parsed.kind === 'command' ? parsed.command : undefined;
    expect(command?.name).toBe('retry');
    expect(command !== undefined && 'feedback' in command ? command.feedback : undefined).toBe(feedback);
  });
});

describe('valid phrases', () => {
  it('lists every phrase and every phase in the help text', () => {
    const help = describeValidPhrases();
    for (const phrase of VALID_PHRASES) expect(help).toContain(`\`${phrase}\``);
    for (const phase of ['alignment', 'implementation', 'verification', 'commit'])
      expect(help).toContain(phase);
  });
});
