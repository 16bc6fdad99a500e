import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Gateway API keys: `aigw_` + 32 random bytes (base64url, 43 chars). Only the SHA-256 is stored;
 * a plain hash (no salt, no KDF) is right for 256-bit random secrets, which cannot be guessed, and
 * it lets auth find a key by an indexed lookup.
 */

export const API_KEY_PREFIX = 'aigw_';
const DISPLAY_PREFIX_CHARS = 12;

export interface GeneratedApiKey {
  /** Shown to the user once; never stored. */
  key: string;
  /** First 12 characters, stored to recognise the key in listings. */
  prefix: string;
  /** Hex SHA-256 of the key, stored and looked up. */
  hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, DISPLAY_PREFIX_CHARS), hash: hashApiKey(key) };
}

/** Runs on every authenticated request: the one-shot `hash` is ~5× cheaper than a Hash object. */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/**
 * Compares two hex strings in time independent of where they differ. Different lengths return
 * false at once: lengths of hex digests are public, only their content is secret.
 */
export function constantTimeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
