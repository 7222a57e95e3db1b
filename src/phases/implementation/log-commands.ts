import type { WorkspaceTool } from '../../agent/tools/index.ts';
import { TOOL_NAMES } from '../../agent/tools/index.ts';

export interface CommandLog {
  command: string;
  exitCode: number | null;
}

/** Wraps run_command so every command the agent runs, and its exit code, lands in the artifact's command log. */
export function logCommands(tools: WorkspaceTool[], log: CommandLog[]): WorkspaceTool[] {
  return tools.map((tool) => {
    if (tool.name !== TOOL_NAMES.runCommand) return tool;
    const run = tool.run as (
      input: { command?: string; argv?: string[] },
      context?: unknown,
    ) => Promise<unknown>;
    return {
      ...tool,
      run: async (input: { command?: string; argv?: string[] }, context?: unknown) => {
        const command = input.command ?? (input.argv ?? []).join(' ');
        try {
          const output = await run(input, context);
          const match = typeof output === 'string' ? output.match(/^exit code (\d+)/) : null;
          log.push({ command, exitCode: match ? Number(match[1]) : null });
          return output;
        } catch (error) {
          log.push({ command, exitCode: null });
          throw error;
        }
      },
    } as WorkspaceTool;
  });
}
