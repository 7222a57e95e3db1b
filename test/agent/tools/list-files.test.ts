import fs from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createListFilesTool, MAX_LISTED_FILES } from '../../../src/agent/tools/list-files.ts';
import { GitignoreRules } from '../../../src/agent/tools/walk-files.ts';
import { type Fixture, makeFixture, outcomeText, removeFixture, runTool } from './workspace-fixture.ts';

let fx: Fixture;
beforeEach(async () => {
  fx = await makeFixture();
  const files: Record<string, string> = {
    '.gitignore': 'dist/\n*.log\n!keep.log\n',
    '.github/workflows/ci.yml': 'on: push\n',
    'dist/bundle.js': '',
    'debug.log': '',
    'keep.log': '',
    'pkg/.gitignore': 'generated.ts\n',
    'pkg/generated.ts': '',
    'pkg/index.ts': '',
    'node_modules/dep/index.js': '',
    'src/nested/node_modules/x.js': '',
  };
  for (const [file, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(fx.root, file)), { recursive: true });
    await fs.writeFile(path.join(fx.root, file), content);
  }
});
afterEach(() => removeFixture(fx));

const list = async (input: { glob?: string; path?: string }) =>
  String(await createListFilesTool(fx.ws).run(input)).split('\n');

describe('list_files', () => {
  it('lists files sorted, honouring .gitignore files, skipping .git, node_modules and symlinks', async () => {
    expect(await list({})).toEqual([
      '.github/workflows/ci.yml',
      '.gitignore',
      'README.md',
      'keep.log',
      'pkg/.gitignore',
      'pkg/index.ts',
      'src/a.ts',
    ]);
  });

  it('matches a glob', async () => {
    expect(await list({ glob: '**/*.ts' })).toEqual(['pkg/index.ts', 'src/a.ts']);
  });

  it('lists under a directory, answering with root-relative paths', async () => {
    expect(await list({ path: 'pkg' })).toEqual(['pkg/.gitignore', 'pkg/index.ts']);
  });

  it('caps the list and says how many more there are', async () => {
    await fs.mkdir(path.join(fx.root, 'many'));
    for (let i = 0; i < MAX_LISTED_FILES + 7; i += 1) {
      await fs.writeFile(path.join(fx.root, 'many', `f${String(i).padStart(4, '0')}.txt`), '');
    }
    const lines = await list({ path: 'many' });
    expect(lines).toHaveLength(MAX_LISTED_FILES + 1);
    expect(lines.at(-1)).toBe('… 7 more (narrow the glob or path)');
  });

  it('says so when nothing matches', async () => {
    expect(await createListFilesTool(fx.ws).run({ glob: '**/*.rs' })).toBe('No files match "**/*.rs".');
  });

  it.each([
    [{ glob: '../**' }, 'may not contain ".."'],
    [{ glob: 'src/../../outside/*' }, 'may not contain ".."'],
    [{ glob: '/etc/*' }, 'must be relative'],
    [{ path: 'linkdir' }, 'points outside the workspace'],
    [{ path: '../outside' }, 'outside the workspace'],
  ])('refuses %j', async (input, message) => {
    const outcome = await runTool(createListFilesTool(fx.ws), input);
    expect(outcome.isError).toBe(true);
    expect(outcomeText(outcome)).toContain(message);
  });
});

describe('GitignoreRules', () => {
  const rules = new GitignoreRules(
    new Map([
      ['', ignore().add('build/\n*.log\n!important.log\nsecret/\n')],
      ['app', ignore().add('*.tmp\n!keep.log\n')],
      ['secret', ignore().add('!visible.txt\n')],
    ]),
  );

  it.each([
    ['src/x.ts', false],
    ['build/out.js', true],
    ['app/build/out.js', true],
    ['debug.log', true],
    ['important.log', false],
    ['app/a.tmp', true],
    ['a.tmp', false],
    ['app/keep.log', false],
    ['app/other.log', true],
    ['secret/visible.txt', true],
  ])('%s ignored: %s', (file, expected) => {
    expect(rules.ignores(file)).toBe(expected);
  });
});
