/** The token in an `Authorization` header: `token X`, `bearer X`, or basic `x-access-token:X` (git's form). */
export function parseAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme = '', ...rest] = header.trim().split(/\s+/);
  const value = rest.join(' ');
  if (!value) return undefined;
  switch (scheme.toLowerCase()) {
    case 'token':
    case 'bearer':
      return value;
    case 'basic': {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      // GitHub takes the token as the password whatever the user name; git sends `x-access-token:<token>`.
      return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
    }
    default:
      return undefined;
  }
}
