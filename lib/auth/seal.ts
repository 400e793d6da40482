import { hkdfSync } from 'node:crypto';
import { EncryptJWT, type JWTPayload, jwtDecrypt } from 'jose';

/**
 * Sealed (encrypted + authenticated) tokens: JWE compact, `dir` + A256GCM. The browser can neither
 * read nor alter them; any change fails the GCM tag. One derived key per purpose, so a token made
 * for one cookie is never accepted as another.
 */

export type SealPurpose = 'session' | 'oidc-state';

const MAX_TOKEN_LENGTH = 4096;

/** HKDF-SHA256 of the server secret, one 256-bit key per purpose. */
export function deriveKey(secret: string, purpose: SealPurpose): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'dasboard', `dasboard ${purpose} v1`, 32));
}

export async function seal(
  payload: Record<string, unknown>,
  key: Uint8Array,
  opts: { typ: string; issuedAt: number; expiresAt: number },
): Promise<string> {
  return new EncryptJWT(payload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', typ: opts.typ })
    .setIssuedAt(opts.issuedAt)
    .setExpirationTime(opts.expiresAt)
    .encrypt(key);
}

/** The payload, or null for anything forged, altered, expired, of another type, or oversized. */
export async function unseal(
  token: string,
  key: Uint8Array,
  opts: { typ: string; now: number },
): Promise<JWTPayload | null> {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
  try {
    const { payload } = await jwtDecrypt(token, key, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      typ: opts.typ,
      currentDate: new Date(opts.now),
      requiredClaims: ['iat', 'exp'],
    });
    return payload;
  } catch {
    return null;
  }
}
