/**
 * Keys of the local development setup: the dev identity provider's key pair (signs
 * callers' tokens, see `npm run token`) and the gateway's key pair (signs the tokens
 * subgraphs accept). Generated on first use into `.local/dev-keys.json` (git-ignored) of
 * the project folder, wherever the command runs from: a token signed with another key
 * than the running gateway's would be answered UNAUTHENTICATED.
 * In production the caller keys come from a JWKS URL and the gateway key from the
 * environment; dev keys are refused when NODE_ENV=production.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';

export interface KeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export interface DevKeys {
  caller: KeyPair;
  gateway: KeyPair;
}

interface StoredKeyPair {
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * The project folder: the nearest folder above this module with a package.json. The module runs
 * from `gateway/` (tests), `dist/gateway/` (the build) or a bundle under `.local/` (`npm run token`),
 * so the path is found, not counted.
 */
export function projectRoot(from: string = import.meta.dirname): string {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) return from;
  }
}

/** The dev keys' file: IPS_DEV_KEYS, a relative path read from the project folder (not the current one). */
export const DEV_KEYS_PATH = resolve(projectRoot(), process.env.IPS_DEV_KEYS ?? '.local/dev-keys.json');

export async function newKeyPair(): Promise<KeyPair> {
  return generateKeyPair('ES256', { extractable: true });
}

/** Fresh keys held in memory only (tests). */
export async function ephemeralDevKeys(): Promise<DevKeys> {
  return { caller: await newKeyPair(), gateway: await newKeyPair() };
}

/**
 * The local development keys, created on first use. Creating them is said on standard error: a
 * gateway already running holds the old keys and answers tokens signed with new ones UNAUTHENTICATED.
 */
export async function loadDevKeys(path: string = DEV_KEYS_PATH): Promise<DevKeys> {
  if (process.env.NODE_ENV === 'production')
    throw new Error('Development keys are not used in production: set CALLER_JWKS_URL and GATEWAY_PRIVATE_JWK');
  if (!existsSync(path)) {
    const keys = await ephemeralDevKeys();
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(
      path,
      JSON.stringify({ caller: await store(keys.caller), gateway: await store(keys.gateway) }, null, 2),
      { mode: 0o600 },
    );
    process.stderr.write(
      `New development keys written to ${path} (none were there). A gateway started before this uses other keys: restart it, or its answers are UNAUTHENTICATED.\n`,
    );
  }
  const stored = JSON.parse(readFileSync(path, 'utf8')) as { caller: StoredKeyPair; gateway: StoredKeyPair };
  return { caller: await restore(stored.caller), gateway: await restore(stored.gateway) };
}

async function store(pair: KeyPair): Promise<StoredKeyPair> {
  return { privateJwk: await exportJWK(pair.privateKey), publicJwk: await exportJWK(pair.publicKey) };
}

async function restore(stored: StoredKeyPair): Promise<KeyPair> {
  return {
    // Extractable, so that tokens signed with it name their key (`kid`): a verifier trusting a JWK set of several keys needs it.
    privateKey: (await importJWK(stored.privateJwk, 'ES256', { extractable: true })) as CryptoKey,
    publicKey: (await importJWK(stored.publicJwk, 'ES256')) as CryptoKey,
  };
}

/** A key from a JWK in an environment variable (production deployments). */
export async function keyFromJwkEnv(variable: string): Promise<CryptoKey> {
  const value = process.env[variable];
  if (!value) throw new Error(`${variable} is not set`);
  // Extractable so that the gateway can name its key (`kid`, the JWK thumbprint) in the tokens it signs.
  return (await importJWK(JSON.parse(value) as JWK, 'ES256', { extractable: true })) as CryptoKey;
}

/**
 * The key id of a key: its JWK thumbprint (RFC 7638), the same for the private key and its public
 * key. Undefined when the key cannot be exported (then tokens are signed without `kid`).
 */
const keyIds = new WeakMap<CryptoKey, string | undefined>();
export async function keyId(key: CryptoKey): Promise<string | undefined> {
  if (keyIds.has(key)) return keyIds.get(key);
  let kid: string | undefined;
  try {
    kid = await calculateJwkThumbprint(await exportJWK(key));
  } catch {
    kid = undefined;
  }
  keyIds.set(key, kid);
  return kid;
}

/** A JWK set of public keys (with `kid`, `alg`, `use`), as a JWKS endpoint publishes it. */
export async function publicJwks(...publicKeys: CryptoKey[]): Promise<JSONWebKeySet> {
  return {
    keys: await Promise.all(
      publicKeys.map(async (key) => {
        // The private part (d) is left out of the published key.
        const jwk = await exportJWK(key);
        delete jwk.d;
        return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'ES256', use: 'sig' };
      }),
    ),
  };
}
