/** What the hosted app's server needs from its environment, checked before anything listens. */
export interface ServerSettings {
  port: number;
  /** Probot's default: `localhost`; set `HOST=0.0.0.0` in a container. */
  host: string;
  /** How long a shutdown waits for deliveries in flight (`IPO_DRAIN_MS`, 25 s by default). */
  drainMs: number;
  /** `NODE_ENV` is `development` or `test`: the only modes that may run without a webhook secret. */
  development: boolean;
}

export type ServerSettingsResult =
  | { ok: true; settings: ServerSettings; warnings: string[] }
  | { ok: false; problems: string[] };

/**
 * Probot's webhook secret when none is set. It is public (Probot's source, its docs), so a server using it accepts
 * a forged delivery from anyone who can reach it: a comment "from" a maintainer that opens a gate.
 */
export const PROBOT_DEFAULT_SECRET = 'development';

const DEFAULT_DRAIN_MS = 25_000;

/** What to do about a missing private key (Probot finds it in `PRIVATE_KEY`, `PRIVATE_KEY_PATH` or one `*.pem`). */
export const MISSING_PRIVATE_KEY =
  'no private key: set PRIVATE_KEY (the .pem contents) or PRIVATE_KEY_PATH (its file) from a key generated in the ' +
  "GitHub App's General settings. To register a new app instead, run `npm run app:setup`.";

/**
 * Reads the server's settings; refuses to start outside development without a real `WEBHOOK_SECRET` (and without
 * `APP_ID`), each problem saying what to set and where. The private key is Probot's to find (`MISSING_PRIVATE_KEY`).
 */
export function readServerSettings(env: Record<string, string | undefined>): ServerSettingsResult {
  const development = env.NODE_ENV === 'development' || env.NODE_ENV === 'test';
  const problems: string[] = [];
  const warnings: string[] = [];
  const secret = env.WEBHOOK_SECRET ?? '';
  const where =
    'set WEBHOOK_SECRET to the "Webhook secret" of the GitHub App (Settings → Developer settings → GitHub Apps → ' +
    'the app → General; generate a long random one there if it has none, e.g. `openssl rand -hex 32`)';
  if (secret === '' || secret === PROBOT_DEFAULT_SECRET) {
    const why =
      secret === ''
        ? 'WEBHOOK_SECRET is not set, so Probot would accept deliveries signed with its public default secret'
        : `WEBHOOK_SECRET is Probot's public default "${PROBOT_DEFAULT_SECRET}"`;
    if (development)
      warnings.push(`${why}: anyone who can reach this server can forge deliveries (${env.NODE_ENV} mode)`);
    else problems.push(`${why}: ${where}. Only NODE_ENV=development or test may run without one.`);
  }
  if (!env.APP_ID)
    problems.push('APP_ID is not set: use the "App ID" from the GitHub App\'s General settings.');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT is "${env.PORT}": give a port number.`);
  const drainMs = Number(env.IPO_DRAIN_MS ?? DEFAULT_DRAIN_MS);
  if (!Number.isFinite(drainMs) || drainMs < 0) {
    problems.push(`IPO_DRAIN_MS is "${env.IPO_DRAIN_MS}": give the shutdown deadline in milliseconds.`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, settings: { port, host: env.HOST || 'localhost', drainMs, development }, warnings };
}
