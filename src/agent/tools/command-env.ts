/**
 * Variables a command may inherit from the parent: what shells, compilers and test runners need to behave
 * normally, nothing that grants access. NODE_OPTIONS is left out on purpose: the parent's value (a `--require`
 * preload, `--inspect`, a test runner's loader) would run inside the repo's own commands and change their result;
 * pass it as `extra` when a project needs it.
 */
export const COMMAND_ENV_ALLOWLIST = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'LC_MESSAGES',
  'TERM',
  'TZ',
  'CI',
  'TMPDIR',
  'TMP',
  'TEMP',
] as const;

/** Names that look like they hold a credential. */
const SECRET_NAME = /TOKEN|KEY|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|PRIVATE|COOKIE/i;

/**
 * Whole families dropped: the model's and GitHub's own variables, the Actions runtime (its token and cache URLs),
 * and action inputs (`INPUT_*`, where an API key usually arrives).
 */
const DENIED_PREFIXES = ['GITHUB_', 'ANTHROPIC_', 'ACTIONS_', 'INPUT_'];

/** Whether a variable named `name` must never reach an agent's command. */
export function isDeniedEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return isSecretEnvName(upper) || DENIED_PREFIXES.some((prefix) => upper.startsWith(prefix));
}

/** Whether `name` looks like it holds a credential (`*TOKEN*`, `*KEY*`, `*SECRET*`, `*PASSWORD*`, …). */
export function isSecretEnvName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The environment for the agent's commands: allowlisted variables from `parentEnv` plus `extra`, with every
 * secret-looking or denied name removed, even when allowlisted or passed in `extra`.
 */
export function buildCommandEnv(
  parentEnv: Readonly<Record<string, string | undefined>>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const inherited = COMMAND_ENV_ALLOWLIST.flatMap((name) => {
    const value = parentEnv[name];
    return value === undefined ? [] : [[name, value] as const];
  });
  const merged = { ...Object.fromEntries(inherited), ...extra };
  return Object.fromEntries(Object.entries(merged).filter(([name]) => !isDeniedEnvName(name)));
}

/**
 * Values of the parent's secret-named variables (6+ characters): what a redactor should scrub from output. Only
 * secret-looking names, not the denied families: `GITHUB_REPOSITORY` is kept from commands but is no secret.
 */
export function secretEnvValues(parentEnv: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(parentEnv).flatMap(([name, value]) =>
    value !== undefined && value.length >= 6 && isSecretEnvName(name) ? [value] : [],
  );
}
