export interface FaultSpec {
  /** Any method when omitted. */
  method?: string;
  /** The recorded path (`/repos/o/r/issues`, `/graphql`, `/o/r.git/info/refs`): exact string or RegExp. */
  path: string | RegExp;
  /** The status to answer with; omitted with `delayMs`, the request is answered as usual, only late. */
  status?: number;
  /** Holds the request this long first (a slow GitHub); combine with `status` for a slow failure. */
  delayMs?: number;
  /** Defaults to `{ message: "local GitHub: injected <status>" }`. */
  body?: unknown;
  /** How many matching requests fail; 1 by default. */
  times?: number;
  /**
   * The request is carried out, and only its answer is replaced by the fault: a gateway that times out after the
   * server acted. REST routes only; false by default.
   */
  afterHandling?: boolean;
}

export interface Fault {
  status: number;
  body: unknown;
  afterHandling: boolean;
}

export interface TakenFault {
  delayMs: number;
  /** Undefined for a delay alone. */
  fault: Fault | undefined;
}

/** Queued failures: each matching request consumes one, in the order they were added. */
export class FaultInjector {
  private readonly pending: Array<FaultSpec & { left: number }> = [];

  add(spec: FaultSpec): void {
    this.pending.push({ ...spec, left: spec.times ?? 1 });
  }

  /** The fault for this request, if one is queued (and uses it up). */
  take(method: string, path: string): TakenFault | undefined {
    const index = this.pending.findIndex(
      (f) =>
        (!f.method || f.method.toUpperCase() === method.toUpperCase()) &&
        (typeof f.path === 'string' ? f.path === path : f.path.test(path)),
    );
    const fault = this.pending[index];
    if (!fault) return undefined;
    fault.left -= 1;
    if (fault.left <= 0) this.pending.splice(index, 1);
    const { status } = fault;
    return {
      delayMs: fault.delayMs ?? 0,
      fault:
        status === undefined
          ? undefined
          : {
              status,
              body: fault.body ?? { message: `local GitHub: injected ${status}` },
              afterHandling: fault.afterHandling ?? false,
            },
    };
  }

  /** Faults not triggered yet, so a test can assert its fault was actually hit. */
  remaining(): number {
    return this.pending.reduce((sum, f) => sum + f.left, 0);
  }
}
