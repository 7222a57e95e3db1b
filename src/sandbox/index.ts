export { openSandbox, type SandboxHost, sandboxHostFrom } from './open-sandbox.ts';
export { DEFAULT_BWRAP_PATH, probeBwrap } from './probe-bwrap.ts';
export {
  type CommandSpec,
  REFUSING_SANDBOX,
  type Sandbox,
  SandboxRefusedError,
  unsandboxed,
} from './sandbox.ts';
export { networkBlockedNote, sandboxNotes } from './sandbox-notes.ts';
