/**
 * The set-up `verification.setup: auto` runs, chosen from the lockfiles at the workspace root: a pure function of
 * the root's file names and the first bytes of `yarn.lock` (the only lockfile whose format names two managers).
 */

/** A package manager set-up can run, one per lockfile format. */
export type SetupManager =
  | 'npm'
  | 'pnpm'
  | 'yarn-classic'
  | 'yarn-berry'
  | 'bun'
  | 'uv'
  | 'poetry'
  | 'pipenv'
  | 'pip';

/** What detection reads of the workspace root: its entry names, and the start of `yarn.lock` when there is one. */
export interface RootListing {
  names: readonly string[];
  /** The first bytes of `yarn.lock` (`SETUP_HEAD_BYTES` is enough), as text. */
  yarnLockHead?: string;
}

/** How many bytes of `yarn.lock` detection needs: the classic header or berry's `__metadata:` come first. */
export const SETUP_HEAD_BYTES = 512;

export interface SetupChoice {
  manager: SetupManager;
  /** The root file that chose it. */
  lockfile: string;
  command: string;
}

export interface SetupPlan {
  /** At most one per ecosystem (Node, then Python), in the order they run. */
  choices: SetupChoice[];
  /** Lockfiles found but not used, each with why: another lockfile of the same ecosystem won. */
  ignored: { lockfile: string; reason: string }[];
}

/**
 * Where a Python set-up installs, inside the workspace: system site-packages are read-only in the sandbox and HOME
 * is an empty tmpfs per command, so `.venv` is the one place a later command (the checks) can find the packages.
 */
export const PYTHON_VENV = '.venv';

/**
 * Directory names an install leaves wherever it runs. Set-up's untracked output under one of them is never
 * committed, even when it was already there before this set-up (a workspace that kept an earlier install).
 */
const INSTALL_DIRS: ReadonlySet<string> = new Set(['node_modules', PYTHON_VENV]);

/**
 * Whether an untracked entry of `git ls-files --others --directory` is a whole install directory (`node_modules/`,
 * `packages/a/.venv/`); a single untracked file inside a tracked `node_modules` (a fixture) is not.
 */
export function isInstallDir(entry: string): boolean {
  return entry.endsWith('/') && INSTALL_DIRS.has(entry.slice(0, -1).split('/').at(-1) ?? '');
}

const PIP_COMMAND =
  `python3 -m venv ${PYTHON_VENV} && ${PYTHON_VENV}/bin/python -m pip install ` +
  '--disable-pip-version-check --no-input -r requirements.txt';

/**
 * One ecosystem's lockfiles, most specific first. Node: a non-npm lockfile beside a package-lock.json is the
 * project's choice (a stray package-lock.json is what `npm install` leaves in a yarn or pnpm project), and npm
 * itself prefers npm-shrinkwrap.json over package-lock.json; the order otherwise follows antfu's
 * package-manager-detector (bun, pnpm, yarn, npm). Python: a tool's lockfile pins more than a requirements.txt,
 * which such projects often keep only as an export of it. Two Node managers never both run: each rewrites
 * node_modules. Node and Python both run when both are present (they install into different places).
 */
const ECOSYSTEMS: readonly (readonly { lockfile: string; pick: (l: RootListing) => SetupManager }[])[] = [
  [
    { lockfile: 'bun.lock', pick: () => 'bun' },
    { lockfile: 'bun.lockb', pick: () => 'bun' },
    { lockfile: 'pnpm-lock.yaml', pick: () => 'pnpm' },
    { lockfile: 'yarn.lock', pick: yarnFlavour },
    { lockfile: 'npm-shrinkwrap.json', pick: () => 'npm' },
    { lockfile: 'package-lock.json', pick: () => 'npm' },
  ],
  [
    { lockfile: 'uv.lock', pick: () => 'uv' },
    { lockfile: 'poetry.lock', pick: () => 'poetry' },
    { lockfile: 'Pipfile.lock', pick: () => 'pipenv' },
    { lockfile: 'requirements.txt', pick: () => 'pip' },
  ],
];

/** The install command of each manager, failing rather than changing its lockfile. */
export const SETUP_COMMANDS: Record<SetupManager, string> = {
  // --no-audit/--no-fund: two more registry round trips that install nothing.
  npm: 'npm ci --no-audit --no-fund',
  pnpm: 'pnpm install --frozen-lockfile',
  'yarn-classic': 'yarn install --frozen-lockfile --non-interactive',
  'yarn-berry': 'yarn install --immutable',
  bun: 'bun install --frozen-lockfile',
  // uv puts the project's environment in .venv by default.
  uv: 'uv sync --frozen',
  poetry: 'POETRY_VIRTUALENVS_IN_PROJECT=true poetry install --no-interaction',
  pipenv: 'PIPENV_VENV_IN_PROJECT=1 pipenv sync',
  pip: PIP_COMMAND,
};

/** The set-up `auto` chooses for a workspace root; no choice when no lockfile is there. */
export function detectSetup(root: RootListing): SetupPlan {
  const names = new Set(root.names);
  const plan: SetupPlan = { choices: [], ignored: [] };
  for (const candidates of ECOSYSTEMS) {
    const present = candidates.filter((c) => names.has(c.lockfile));
    const [winner, ...others] = present;
    if (!winner) continue;
    const manager = winner.pick(root);
    plan.choices.push({ manager, lockfile: winner.lockfile, command: SETUP_COMMANDS[manager] });
    for (const other of others) {
      // bun.lock beside bun.lockb: the text lockfile replaced the binary one (bun 1.2); same manager.
      plan.ignored.push({ lockfile: other.lockfile, reason: `${winner.lockfile} takes precedence` });
    }
  }
  return plan;
}

/**
 * Yarn 1 writes `# yarn lockfile v1` on the lockfile's first lines; Yarn 2+ (berry) writes YAML with a
 * `__metadata:` block and keeps its settings in `.yarnrc.yml`. Either berry sign wins: a classic header with a
 * `.yarnrc.yml` is a project migrating to berry, whose yarn (`yarnPath`) then refuses `--frozen-lockfile`.
 */
function yarnFlavour(root: RootListing): SetupManager {
  if (root.names.includes('.yarnrc.yml')) return 'yarn-berry';
  const head = root.yarnLockHead ?? '';
  if (/^__metadata:/m.test(head)) return 'yarn-berry';
  return 'yarn-classic';
}

/**
 * The registry hosts each manager reaches by default: the network set-up gets with `sandbox.network.setup: auto`.
 * npm, pnpm and bun use registry.npmjs.org; Yarn 1 and berry's `npmRegistryServer` default to
 * registry.yarnpkg.com (https://yarnpkg.com/configuration/yarnrc#npmRegistryServer), and corepack fetches berry
 * itself from repo.yarnpkg.com; pip, uv, poetry and pipenv read the index at pypi.org and download from
 * files.pythonhosted.org (https://docs.pypi.org/api/). A project on another registry lists its hosts instead.
 */
export function setupHosts(manager: SetupManager): string[] {
  switch (manager) {
    case 'npm':
    case 'pnpm':
    case 'bun':
      return ['registry.npmjs.org'];
    case 'yarn-classic':
      return ['registry.yarnpkg.com'];
    case 'yarn-berry':
      return ['registry.yarnpkg.com', 'repo.yarnpkg.com'];
    case 'uv':
    case 'poetry':
    case 'pipenv':
    case 'pip':
      return ['pypi.org', 'files.pythonhosted.org'];
    default: {
      const never: never = manager;
      return never;
    }
  }
}
