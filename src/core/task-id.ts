/** Task ids are `X.Y` or `X.Y.Z`, digits only (e.g. `2.4`, `1.10.3`). */
export const TASK_ID_PATTERN = /^\d{1,4}\.\d{1,4}(?:\.\d{1,4})?$/;

export function isTaskId(value: string): boolean {
  return TASK_ID_PATTERN.test(value);
}
