import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { deriveKey } from '../../lib/auth/seal';
import { type NewSession, sealSession, startSession } from '../../lib/auth/session-token';
import type { E2eUser } from '../global-setup';
import { E2E_STORE, E2E_USERS } from '../paths';

/** Shared helpers of the API specs: the generated users, sign-in, and cookies sealed with the server's key. */

export const COOKIE = 'dasboard_session';

export function e2eUsers(): E2eUser[] {
  return JSON.parse(readFileSync(E2E_USERS, 'utf8'));
}

export function userFor(role: string): E2eUser {
  const user = e2eUsers().find((u) => u.role === role && u.name.startsWith('e2e-'));
  if (user === undefined) throw new Error(`no e2e user for role ${role}`);
  return user;
}

export interface SignedIn {
  readonly cookie: string;
  readonly csrfToken: string;
  readonly setCookie: string;
}

/** Signs in with a fresh address (so the per-IP limit never mixes specs) and returns the cookie. */
export async function signIn(
  request: APIRequestContext,
  user: E2eUser,
  headers: Record<string, string> = {},
): Promise<SignedIn> {
  const response = await request.post('/api/auth/sign-in', {
    data: { name: user.name, password: user.password },
    headers: { 'x-forwarded-for': randomIp(), ...headers },
  });
  if (response.status() !== 200) throw new Error(`sign-in of ${user.name} failed: ${response.status()}`);
  const setCookie = response.headers()['set-cookie'] ?? '';
  const body = await response.json();
  return { cookie: setCookie.split(';')[0] ?? '', csrfToken: body.csrfToken, setCookie };
}

export function randomIp(): string {
  const n = () => Math.floor(Math.random() * 254) + 1;
  return `198.18.${n()}.${n()}`;
}

/** The key the running server seals sessions with (embedded mode keeps its secret in the store). */
export function serverSessionKey(): Uint8Array {
  const secret = readFileSync(path.join(E2E_STORE, '.dasboard', 'session-secret'), 'utf8').trim();
  return deriveKey(secret, 'session');
}

/** A cookie sealed with `key` for `identity`, as issued at `issuedAt` (ms). */
export async function sealedCookie(identity: NewSession, key: Uint8Array, issuedAt: number): Promise<string> {
  const { token } = await sealSession(startSession(identity, issuedAt), key, issuedAt);
  return `${COOKIE}=${token}`;
}
