import { detectSetup, type RootListing, setupHosts } from './detect-setup.ts';

/** The set-up part of the config: `verification.setup` and `sandbox.network.{allow,setup}`. */
export interface SetupSettings {
  setup: 'auto' | readonly string[];
  /** Hosts every sandboxed command may reach (`sandbox.network.allow`). */
  allow: readonly string[];
  /** Hosts only set-up may reach (`sandbox.network.setup`): `auto` = the chosen managers' registries. */
  setupHosts: 'auto' | readonly string[];
}

/** What set-up will run, why, and with which network. */
export interface ResolvedSetup {
  commands: string[];
  /** Why these commands, one line for the artifact and the reports: `auto: package-lock.json`, `verification.setup`. */
  source: string;
  /** Every host the set-up sandbox may reach: `sandbox.network.allow` then the set-up hosts, without repeats. */
  hosts: string[];
  /** Lockfiles `auto` saw and did not use, with why. */
  ignored: { lockfile: string; reason: string }[];
}

/**
 * The set-up for a workspace root under these settings. `auto` reads the root's lockfiles, which are on the session
 * branch (the model's to write): it picks which of the known install commands runs, never a command or a host of
 * the repository's own wording, and the hosts come from the config on the default branch or this table.
 */
export function resolveSetup(settings: SetupSettings, root: RootListing): ResolvedSetup {
  if (settings.setup !== 'auto') {
    const commands = [...settings.setup];
    const extra = settings.setupHosts === 'auto' ? [] : settings.setupHosts;
    return {
      commands,
      source: 'verification.setup',
      hosts: unique([...settings.allow, ...extra]),
      ignored: [],
    };
  }
  const plan = detectSetup(root);
  const auto = plan.choices.flatMap((c) => setupHosts(c.manager));
  const extra = settings.setupHosts === 'auto' ? auto : settings.setupHosts;
  return {
    commands: plan.choices.map((c) => c.command),
    source:
      plan.choices.length > 0
        ? `auto: ${plan.choices.map((c) => c.lockfile).join(', ')}`
        : 'auto: no lockfile at the root',
    hosts: plan.choices.length > 0 ? unique([...settings.allow, ...extra]) : [...settings.allow],
    ignored: plan.ignored,
  };
}

function unique(hosts: readonly string[]): string[] {
  return [...new Set(hosts)];
}
