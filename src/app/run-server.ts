import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { createProbot, type Probot } from 'probot';
import { composeAppDeps } from './compose.ts';
import ipoApp from './index.ts';
import { serveApp } from './serve-app.ts';
import { MISSING_PRIVATE_KEY, readServerSettings } from './server-settings.ts';

/** The parts of `process` the server uses, so the entry is the only file that touches the global. */
export interface ServerProcess {
  env: NodeJS.ProcessEnv;
  cwd(): string;
  stderr: { write(text: string): unknown };
  exitCode?: number | string | undefined;
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  on(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  exit(code: number): never;
}

/**
 * The hosted app: settings checked (no start without a real webhook secret outside development), Probot built from
 * the environment as `probot run` would (plus `.env`, which never overrides the real environment), the app served,
 * and SIGTERM/SIGINT answered by draining: new deliveries refused, the ones in flight given `IPO_DRAIN_MS`.
 * Exit code 0 when every delivery finished, 1 when one was cut off (its id is logged) or the settings were refused.
 */
export async function runServer(proc: ServerProcess): Promise<void> {
  const env = { ...(await readDotEnv(proc.cwd())), ...proc.env };
  const read = readServerSettings(env);
  if (!read.ok) return refuse(proc, read.problems);
  const { settings } = read;
  let probot: Probot;
  try {
    // `probot run` logs at info unless told otherwise; createProbot alone would say only warnings.
    probot = createProbot({ env: { LOG_LEVEL: 'info', ...env } });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return refuse(proc, [/privateKey/.test(message) ? MISSING_PRIVATE_KEY : message]);
  }
  await probot.ready();
  for (const warning of read.warnings) probot.log.warn(warning);
  const deps = composeAppDeps(env);
  const server = await serveApp({
    probot,
    app: (app, options) => ipoApp(app, options, deps),
    port: settings.port,
    host: settings.host,
  });
  probot.log.info(`ipo app listening on ${server.url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      probot.log.warn(`${signal} again: exiting without waiting for the deliveries in flight`);
      proc.exit(1);
    }
    stopping = true;
    probot.log.info(
      `${signal}: refusing new deliveries, waiting up to ${settings.drainMs} ms for those in flight`,
    );
    const { unfinished } = await server.stop(settings.drainMs);
    if (unfinished.length === 0) {
      probot.log.info('drained: every delivery in flight finished');
    } else {
      probot.log.error(
        { deliveries: unfinished },
        `exiting with ${unfinished.length} delivery(ies) unfinished after ${settings.drainMs} ms: redeliver ` +
          `${unfinished.map((d) => `${d.id} (${d.event})`).join(', ')} from the GitHub App's Advanced settings ` +
          '(Recent Deliveries), or say the phrase again on the issue',
      );
    }
    // Let the log stream flush, then leave even if a stray handle (a retry timer) would keep the process alive.
    proc.exitCode = unfinished.length === 0 ? 0 : 1;
    setTimeout(() => proc.exit(unfinished.length === 0 ? 0 : 1), 200).unref();
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) proc.on(signal, () => void stop(signal));
}

function refuse(proc: ServerProcess, problems: string[]): void {
  proc.stderr.write(`ipo app: refusing to start:\n${problems.map((p) => `  - ${p}\n`).join('')}`);
  proc.exitCode = 1;
}

/** `.env` in the working directory, as `probot run` reads it (the set-up page writes it there). */
async function readDotEnv(cwd: string): Promise<Record<string, string>> {
  const text = await readFile(join(cwd, '.env'), 'utf8').catch(() => undefined);
  return text === undefined ? {} : (parseEnv(text) as Record<string, string>);
}
