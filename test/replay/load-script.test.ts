import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkScriptText, loadScript, parseScript } from '../../src/replay/load-script.ts';

const YAML_SCRIPT = `
version: 1
model: claude-sonnet-5-5
conversations:
  - name: alignment
    when: { systemIncludes: alignment phase, toolNames: [read_file] }
    turns:
      - faults:
          - { status: 529, retryAfterSeconds: 0.01 }
          - { delayMs: 50 }
          - { reset: true }
        response:
          content:
            - { type: tool_use, id: toolu_1, name: read_file, input: { path: SPEC.md } }
      - expect: { lastToolResultFor: read_file, contains: [AC-1] }
        response:
          content: [{ type: text, text: Aligned. }]
          stop_reason: end_turn
`;

describe('loadScript', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ipo-replay-script-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a YAML script into the typed form', async () => {
    const path = join(dir, 'script.yaml');
    await writeFile(path, YAML_SCRIPT);

    const script = await loadScript(path);

    expect(script.conversations[0]?.when).toEqual({
      systemIncludes: 'alignment phase',
      toolNames: ['read_file'],
    });
    expect(script.conversations[0]?.turns[0]?.faults).toEqual([
      { status: 529, retryAfterSeconds: 0.01 },
      { delayMs: 50 },
      { reset: true },
    ]);
    expect(script.conversations[0]?.turns[1]?.response.content).toEqual([{ type: 'text', text: 'Aligned.' }]);
  });

  it('loads a JSON script', async () => {
    const path = join(dir, 'script.json');
    await writeFile(
      path,
      JSON.stringify({ version: 1, conversations: [{ name: 'c', turns: [{ response: { content: [] } }] }] }),
    );

    const script = await loadScript(path);

    expect(script.conversations.map((conversation) => conversation.name)).toEqual(['c']);
  });

  it('names the file and every bad field of an invalid script', async () => {
    const path = join(dir, 'bad.yml');
    await writeFile(
      path,
      [
        'version: 1',
        'conversations:',
        '  - name: alignment',
        '    turns:',
        '      - faults: [{ status: 418 }]',
        '        response: { content: [{ type: tool_use, name: read_file, input: {} }] }',
        '      - expect: { contain: [AC-1] }',
      ].join('\n'),
    );

    const error = await loadScript(path).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain(`replay script ${path} is invalid`);
    expect(message).toContain('conversations[0].turns[0].faults[0]');
    expect(message).toContain(
      '{ status: 400|401|403|404|413|429|500|503|529, retryAfterSeconds?, message? }',
    );
    expect(message).toContain('conversations[0].turns[0].response.content[0].id');
    expect(message).toContain('Unrecognized key: "contain"');
    expect(message).toContain('conversations[0].turns[1].response');
  });

  it.each([
    ['bad.yaml', 'version: [1', 'not valid YAML'],
    ['bad.json', '{ "version": 1,', 'not valid JSON'],
    ['empty.yaml', '', 'is invalid'],
    [
      'twice.yaml',
      'version: 1\nconversations:\n  - { name: a, turns: [{ response: { content: [] } }] }\n  - { name: a, turns: [{ response: { content: [] } }] }',
      'conversation name "a" is used twice',
    ],
  ])('rejects %s with a message saying why', (source, text, expected) => {
    expect(() => parseScript(text, source)).toThrow(expected);
  });

  it('checkScriptText locates problems by line in JSON too, and a duplicate name at the second one', () => {
    const json = [
      '{',
      '  "version": 1,',
      '  "conversations": [',
      '    { "name": "a", "turns": [{ "response": { "content": [] } }] },',
      '    { "name": "a", "turns": [{ "response": { "content": [] } }] }',
      '  ]',
      '}',
    ].join('\n');
    expect(checkScriptText(json, 'twice.json')).toEqual([
      { line: 5, field: 'conversations[1].name', message: 'conversation name "a" is used twice' },
    ]);
    expect(checkScriptText('{ "version": 2, "conversations": [] }', 's.json')).toEqual([
      { line: 1, field: 'version', message: 'Invalid input: expected 1' },
      { line: 1, field: 'conversations', message: 'Too small: expected array to have >=1 items' },
    ]);
  });
});
