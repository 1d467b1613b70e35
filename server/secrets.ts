// Secrets at rest: seat tokens, host keys, view keys, player tokens and results tokens are random strings of
// 126 bits or more that their holders keep; the server keeps only their SHA-256, so a copied data file gives
// nobody a seat or a class. (A slow password hash is not needed: nobody can guess 126 random bits.)
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** Does `candidate` hash to `hash`? In time that does not depend on where they differ. */
export function matchesHash(candidate: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(candidate));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A secret that follows from another by a keyed hash: the projector's view key from the host key. The host
 * proves the host key, so the server can give the view key back after a restart without ever storing it.
 */
export function deriveSecret(from: string, purpose: string): string {
  return createHmac('sha256', from).update(purpose, 'utf8').digest('base64url').slice(0, 32);
}
