/** Time limit of one agent command (run_command) in milliseconds. */
export const COMMAND_TIMEOUT_MS = 300_000;
