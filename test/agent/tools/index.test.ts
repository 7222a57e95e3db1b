import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTools,
  FILE_WRITE_TOOL_NAMES,
  READ_ONLY_TOOL_NAMES,
  TOOL_NAMES,
} from '../../../src/agent/tools/index.ts';
import { type Fixture, makeFixture, removeFixture } from './workspace-fixture.ts';

let fx: Fixture;
beforeEach(async () => {
  fx = await makeFixture();
});
afterEach(() => removeFixture(fx));

describe('createTools', () => {
  it.each([
    [{ write: false }, ['read_file', 'list_files', 'search']],
    [{ write: false, commands: true }, ['read_file', 'list_files', 'search', 'run_command']],
    [{ write: true }, ['read_file', 'list_files', 'search', 'write_file', 'edit_file', 'run_command']],
    [{ write: true, commands: false }, ['read_file', 'list_files', 'search', 'write_file', 'edit_file']],
  ])('with %j gives %j', (selection, names) => {
    expect(createTools(fx.ws, selection).map((tool) => tool.name)).toEqual(names);
  });

  it('gives every tool an object input schema, a description and a runner', () => {
    for (const tool of createTools(fx.ws, { write: true })) {
      if (!('input_schema' in tool)) throw new Error(`${tool.name} is not a custom tool`);
      expect(tool.input_schema.type).toBe('object');
      // Plain inline schemas: a `$defs`/`$ref` indirection costs tokens on every request and confuses models.
      expect(tool.input_schema).not.toHaveProperty('$defs');
      expect(tool.description?.length).toBeGreaterThan(20);
      expect(typeof tool.run).toBe('function');
    }
  });

  it('exports the names as constants', () => {
    expect(Object.values(TOOL_NAMES).sort()).toEqual(
      ['edit_file', 'list_files', 'read_file', 'run_command', 'search', 'write_file'].sort(),
    );
    expect([...READ_ONLY_TOOL_NAMES, ...FILE_WRITE_TOOL_NAMES]).not.toContain(TOOL_NAMES.runCommand);
  });
});
