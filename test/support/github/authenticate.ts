import type { LocalApp } from './local-app.ts';
import { HttpError } from './reply.ts';
import type { RouteAuth } from './router.ts';
import { looksLikeJwt, verifyAppJwt } from './verify-app-jwt.ts';

/** Who a request's credentials belong to. */
export type Credentials =
  | { kind: 'none' }
  | { kind: 'token'; login: string }
  | { kind: 'app'; login: string }
  | { kind: 'invalid'; message: string };

/** Resolves a bearer value: a known token, else the app's JWT (checked against the real clock, as the app signs with it). */
export function authenticate(
  token: string | undefined,
  tokens: Readonly<Record<string, string>>,
  app: LocalApp | undefined,
): Credentials {
  if (token === undefined) return { kind: 'none' };
  const login = tokens[token];
  if (login !== undefined) return { kind: 'token', login };
  if (app && looksLikeJwt(token)) {
    const check = verifyAppJwt(token, app, Math.floor(Date.now() / 1000));
    return check.ok ? { kind: 'app', login: app.botLogin } : { kind: 'invalid', message: check.message };
  }
  return { kind: 'invalid', message: 'Bad credentials' };
}

/** The actor a route runs as, or GitHub's 401 when the credentials do not fit what the route takes. */
export function admit(auth: RouteAuth, credentials: Credentials): string {
  if (auth === 'none')
    return credentials.kind === 'token' || credentials.kind === 'app' ? credentials.login : '';
  switch (credentials.kind) {
    case 'none':
      throw new HttpError(401, 'Requires authentication');
    case 'invalid':
      throw new HttpError(401, credentials.message);
    case 'token':
      // An installation token on an app endpoint: GitHub tries to read it as a JWT and fails.
      if (auth === 'app') throw new HttpError(401, 'A JSON web token could not be decoded');
      return credentials.login;
    case 'app':
      if (auth === 'token') {
        throw new HttpError(
          401,
          'local GitHub: the app JWT only reaches /app endpoints; use an installation token',
        );
      }
      return credentials.login;
  }
}
