import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Schema } from './github-types.ts';

export interface LocalAppOptions {
  id: number;
  /** PKCS#8 or PKCS#1 PEM; a fresh 2048-bit RSA key is generated when omitted. */
  privateKeyPem?: string;
  /** `ipo-app` by default; the minted tokens act as `<slug>[bot]`. */
  slug?: string;
  /** The one installation, on every repository of the local GitHub; 4242 by default. */
  installationId?: number;
  /** What minted tokens report; the permissions of the app manifest (app.yml) by default. */
  permissions?: Schema<'app-permissions'>;
}

/** The registered GitHub App: what a test hands to `new Probot({ appId, privateKey })`. */
export interface LocalApp {
  id: number;
  slug: string;
  /** `<slug>[bot]`: the login installation tokens act as. */
  botLogin: string;
  installationId: number;
  /** PEM, as Probot takes it. */
  privateKey: string;
  /** Verifies the JWTs the app signs. */
  publicKey: KeyObject;
  permissions: Schema<'app-permissions'>;
}

const MANIFEST_PERMISSIONS: Schema<'app-permissions'> = {
  actions: 'write',
  checks: 'write',
  contents: 'write',
  issues: 'write',
  metadata: 'read',
  pull_requests: 'write',
};

const generate = promisify(generateKeyPair);

/** Registers the app: its key pair (generated unless given), slug and installation. */
export async function createLocalApp(options: LocalAppOptions): Promise<LocalApp> {
  const privateKey =
    options.privateKeyPem ??
    (
      await generate('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      })
    ).privateKey;
  const slug = options.slug ?? 'ipo-app';
  return {
    id: options.id,
    slug,
    botLogin: `${slug}[bot]`,
    installationId: options.installationId ?? 4242,
    privateKey,
    publicKey: createPublicKey(createPrivateKey(privateKey)),
    permissions: options.permissions ?? MANIFEST_PERMISSIONS,
  };
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh installation access token in GitHub's format: `ghs_` and 36 base62 characters. */
export function mintInstallationToken(): string {
  const bytes = randomBytes(36);
  return `ghs_${Array.from(bytes, (b) => BASE62[b % BASE62.length]).join('')}`;
}
