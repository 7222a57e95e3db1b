/** The signals that stop ipo from a terminal or a service manager. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Exit status of a process stopped by `signal`, as shells report it (130 for SIGINT, 143 for SIGTERM). */
export function signalExitCode(signal: StopSignal): number {
  return signal === 'SIGINT' ? 130 : 143;
}

/**
 * SIGINT/SIGTERM as the local runner sees them. Outside `guard` a signal ends the process at once (nothing is half
 * done that the next command cannot recover); inside, the runner stops its phase process and records the run.
 */
export interface Interrupts {
  /** The first stopping signal received, if any. */
  received(): StopSignal | undefined;
  /** While `work` runs, each signal calls `onSignal` (with how many have arrived) instead of ending the process. */
  guard<T>(onSignal: (signal: StopSignal, count: number) => void, work: () => Promise<T>): Promise<T>;
}

/** Interrupts that never arrive: for tests and callers that run no phase. */
export const NO_INTERRUPTS: Interrupts = {
  received: () => undefined,
  guard: (_onSignal, work) => work(),
};
