import { betaZodTool } from '@anthropic-ai/sdk/helpers/beta/zod';
import { ToolError } from '@anthropic-ai/sdk/lib/tools/ToolError';
import { z } from 'zod';
import { sandboxNotes } from '../../sandbox/sandbox-notes.ts';
import { keepField } from '../context/keep-field.ts';
import { type ProcessResult, runProcess } from './run-process.ts';
import { TOOL_NAMES } from './tool-names.ts';
import type { Workspace } from './workspace.ts';

const inputSchema = z.object({
  keep: keepField(),
  command: z.string().describe('A shell command line, run with /bin/sh -c. Give this or argv.').optional(),
  // No .describe() here: zod would then emit the element type as a $ref. argv is explained in `command` instead.
  argv: z.array(z.string()).optional(),
  timeoutSeconds: z.number().positive().describe('Time limit; cannot exceed the workspace limit.').optional(),
});

export type RunCommandInput = z.infer<typeof inputSchema>;

/** `run_command`: a command in the workspace root with the allowlisted env, a time limit and a tail-kept output cap. */
export function createRunCommandTool(ws: Workspace) {
  const limitSeconds = Math.round(ws.commandTimeoutMs / 1000);
  return betaZodTool({
    name: TOOL_NAMES.runCommand,
    description:
      'Run a command in the workspace root and get its exit code and combined stdout/stderr. Give either ' +
      '`command` (a shell line) or `argv` (program and arguments, run without a shell). A non-zero exit ' +
      'is a normal result. The environment holds no credentials and there is no stdin. ' +
      sandboxLine(ws) +
      ' Time limit: ' +
      `${limitSeconds}s (lower it with timeoutSeconds); on timeout the command and its children are killed. ` +
      `Only the last ${ws.outputCapBytes} bytes of output are returned.`,
    inputSchema,
    run: async (input, context) => {
      const { file, args } = commandLine(input);
      const requestedMs = input.timeoutSeconds === undefined ? Infinity : input.timeoutSeconds * 1000;
      const timeoutMs = Math.min(requestedMs, ws.commandTimeoutMs);
      let result: ProcessResult;
      try {
        result = await runProcess({
          file,
          args,
          cwd: ws.root,
          env: ws.commandEnv,
          timeoutMs,
          capBytes: ws.outputCapBytes,
          signal: context?.signal ?? null,
          sandbox: ws.sandbox,
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ToolError(`Could not start ${JSON.stringify(file)}: ${reason}`);
      }
      const output = formatOutput(result) + sandboxNotes(ws.sandbox, result);
      if (result.timedOut) {
        throw new ToolError(
          `Command timed out after ${formatSeconds(timeoutMs)} and was killed (with its child processes).\n${output}`,
        );
      }
      if (result.aborted) throw new ToolError(`Command was aborted.\n${output}`);
      return `${formatStatus(result)} (${formatSeconds(result.durationMs)})\n${output}`;
    },
  });
}

/** What the model should expect of the sandbox, so it does not retry a refused connection or write. */
function sandboxLine(ws: Workspace): string {
  if (ws.sandbox.mode === 'refusing') return 'Commands are refused here: no sandbox was opened for them.';
  if (ws.sandbox.mode === 'unsandboxed') return 'Commands run WITHOUT a sandbox (the config opted out).';
  const network =
    ws.sandbox.networkAllow.length === 0
      ? 'the network is off.'
      : 'the network is off except through the proxy in HTTPS_PROXY/HTTP_PROXY (already set), which reaches ' +
        `only ${ws.sandbox.networkAllow.join(', ')}.`;
  return (
    'Commands run in a sandbox: only the workspace is writable (plus an empty /tmp and HOME), `.git` is ' +
    `read-only, and ${network}`
  );
}

function commandLine(input: RunCommandInput): { file: string; args: string[] } {
  if (input.command !== undefined && input.argv !== undefined) {
    throw new ToolError('Give either command (a shell line) or argv (a program and its arguments), not both');
  }
  if (input.command !== undefined) {
    if (input.command.trim() === '') throw new ToolError('command is empty');
    return { file: '/bin/sh', args: ['-c', input.command] };
  }
  const [file, ...args] = input.argv ?? [];
  if (file === undefined || file === '') {
    throw new ToolError('Give command (a shell line) or argv (a non-empty list: program, then arguments)');
  }
  return { file, args };
}

function formatStatus(result: ProcessResult): string {
  return result.exitCode === null
    ? `killed by signal ${result.signal ?? 'unknown'}`
    : `exit code ${result.exitCode}`;
}

function formatOutput(result: ProcessResult): string {
  if (result.output === '' && result.omittedBytes === 0) return '(no output)';
  const omitted = result.omittedBytes > 0 ? `[… ${result.omittedBytes} bytes omitted …]\n` : '';
  return `${omitted}${result.output}`;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}
