import { type KeyObject, verify } from 'node:crypto';

export type JwtCheck = { ok: true } | { ok: false; message: string };

// GitHub's own messages: @octokit/auth-app matches the time-claim ones to correct for clock skew.
const UNDECODABLE = 'A JSON web token could not be decoded';
const EXPIRED =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
const TOO_LONG = "'Expiration time' claim ('exp') is too far in the future";
const BAD_IAT =
  "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";

/** True for a compact JWS (`header.payload.signature` whose header is JSON naming an algorithm). */
export function looksLikeJwt(token: string): boolean {
  const parts = token.split('.');
  return parts.length === 3 && decodeJson(parts[0] ?? '')?.alg !== undefined;
}

/**
 * Checks an app JWT as GitHub does: RS256 signed by the app's key, `iss` the app id, `iat` not in the future
 * (60 s of drift allowed), `exp` in the future and at most 10 minutes after `iat`. Times are in seconds.
 */
export function verifyAppJwt(jwt: string, app: { id: number; publicKey: KeyObject }, now: number): JwtCheck {
  const [head = '', body = '', signature = ''] = jwt.split('.');
  const header = decodeJson(head);
  const claims = decodeJson(body);
  if (header?.alg !== 'RS256' || !claims) return { ok: false, message: UNDECODABLE };
  const signed = verify('RSA-SHA256', Buffer.from(`${head}.${body}`), app.publicKey, base64url(signature));
  if (!signed) return { ok: false, message: UNDECODABLE };
  const { iat, exp, iss } = claims;
  if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > now + 60)
    return { ok: false, message: BAD_IAT };
  if (typeof exp !== 'number' || exp <= now) return { ok: false, message: EXPIRED };
  if (exp - iat > 600) return { ok: false, message: TOO_LONG };
  if (String(iss) !== String(app.id)) return { ok: false, message: 'Integration not found' };
  return { ok: true };
}

function base64url(text: string): Buffer {
  return Buffer.from(text, 'base64url');
}

function decodeJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(base64url(segment).toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
