// `${{ a.b-c.d }}`: context lookups only; functions and operators are not evaluated here.
const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;
const PATH = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/;

/**
 * Expands `${{ … }}` in `template` with lookups in `context` (e.g. `inputs.session`, `github.actor`), the way
 * GitHub expands `run-name`: a missing property is the empty string. Throws on anything but a property path,
 * so a workflow that needs more than the local GitHub evaluates says so instead of getting a wrong name.
 */
export function expandExpressions(template: string, context: Readonly<Record<string, unknown>>): string {
  return template.replace(EXPRESSION, (whole, expression: string) => {
    if (!PATH.test(expression))
      throw new Error(`cannot evaluate ${whole}: only property lookups are supported`);
    let value: unknown = context;
    for (const key of expression.split('.')) {
      value =
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
    return value === undefined || value === null
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  });
}
