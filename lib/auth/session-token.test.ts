import { describe, expect, it } from 'vitest';
import { deriveKey, seal } from './seal';
import {
  type NewSession,
  needsRotation,
  passwordVersion,
  SESSION_LIMITS,
  sealSession,
  startSession,
  unsealSession,
} from './session-token';

const key = deriveKey('test-secret-0123456789-0123456789-abcdef', 'session');
const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);
const min = 60_000;
const alice: NewSession = { sub: 'local:alice', name: 'alice', idp: 'local', roles: ['auditor'], pwv: 'v1' };

async function issue(identity = alice, at = T0) {
  return sealSession(startSession(identity, at), key, at);
}

describe('sealSession / unsealSession', () => {
  it('round-trips the claims, with exp = iat + idle limit', async () => {
    // Act
    const { token, claims } = await issue();
    const back = await unsealSession(token, key, T0 + min);

    // Assess
    expect(back).toEqual(claims);
    expect(claims.exp - claims.iat).toBe(SESSION_LIMITS.idleS);
    expect(claims.sub).toBe('local:alice');
    expect(claims.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('encrypts: neither the name nor the CSRF secret is readable in the token', async () => {
    // Act
    const { token, claims } = await issue();

    // Assess
    const decoded = token
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
      .join('|');
    expect(decoded).not.toContain('alice');
    expect(decoded).not.toContain(claims.csrf);
    expect(token.split('.')).toHaveLength(5);
  });

  it('refuses a token unused for longer than the idle limit', async () => {
    // Prepare
    const { token } = await issue();

    // Act + Assess
    expect(await unsealSession(token, key, T0 + 29 * min)).not.toBeNull();
    expect(await unsealSession(token, key, T0 + 31 * min)).toBeNull();
  });

  it('rotation keeps the session id and CSRF secret but never passes the absolute limit', async () => {
    // Prepare: keep re-issuing every 20 minutes, as an active user would
    let { token, claims } = await issue();
    const first = claims;
    let at = T0;
    let last = claims;
    for (let i = 0; i < 30; i += 1) {
      at += 20 * min;
      const current = await unsealSession(token, key, at);
      if (current === null) break;
      expect(needsRotation(current, at)).toBe(true);
      ({ token, claims } = await sealSession(current, key, at).catch(() => ({ token: '', claims: current })));
      last = claims;
    }

    // Assess: the chain died at 8 h, and every link kept the same sid and csrf
    expect(at - T0).toBeLessThanOrEqual(SESSION_LIMITS.absoluteS * 1000 + 20 * min);
    expect(at - T0).toBeGreaterThanOrEqual(SESSION_LIMITS.absoluteS * 1000);
    expect(last.sid).toBe(first.sid);
    expect(last.csrf).toBe(first.csrf);
    expect(last.exp).toBeLessThanOrEqual(first.auth_time + SESSION_LIMITS.absoluteS);
    expect(await unsealSession(token, key, T0 + SESSION_LIMITS.absoluteS * 1000 + min)).toBeNull();
  });

  it('needs rotation only after the rotation interval', async () => {
    // Prepare
    const { claims } = await issue();

    // Act + Assess
    expect(needsRotation(claims, T0 + 4 * min)).toBe(false);
    expect(needsRotation(claims, T0 + 5 * min)).toBe(true);
  });

  it('refuses a token with any byte changed (tag, ciphertext, iv, header)', async () => {
    // Prepare
    const { token } = await issue();
    const parts = token.split('.');

    // Act: flip one character in each of the five JWE parts (the key part is empty with dir)
    const tampered = parts.flatMap((part, i) => {
      if (part.length === 0) return [];
      const chars = [...part];
      const at = Math.floor(chars.length / 2);
      chars[at] = chars[at] === 'A' ? 'B' : 'A';
      return [[...parts.slice(0, i), chars.join(''), ...parts.slice(i + 1)].join('.')];
    });
    const results = await Promise.all(tampered.map((t) => unsealSession(t, key, T0 + min)));

    // Assess
    expect(tampered).toHaveLength(4);
    expect(results).toEqual([null, null, null, null]);
  });

  it("refuses another user's claims sealed with a different key (forged cookie)", async () => {
    // Prepare: an attacker seals admin claims with a key of their own
    const attackerKey = deriveKey('attacker-secret-0123456789-0123456789', 'session');
    const admin = startSession({ ...alice, sub: 'local:admin', name: 'admin', roles: ['admin'] }, T0);
    const { token } = await sealSession(admin, attackerKey, T0);

    // Act + Assess
    expect(await unsealSession(token, key, T0 + min)).toBeNull();
    expect(await unsealSession('not-a-token', key, T0)).toBeNull();
    expect(await unsealSession('', key, T0)).toBeNull();
    expect(await unsealSession('a'.repeat(5000), key, T0)).toBeNull();
  });

  it('refuses a token sealed for another purpose (OIDC state key or type)', async () => {
    // Prepare: right claims, but sealed with the OIDC-state key, and with the session key but the OIDC typ
    const claims = startSession(alice, T0);
    const viaStateKey = await sealSession(
      claims,
      deriveKey('test-secret-0123456789-0123456789-abcdef', 'oidc-state'),
      T0,
    );
    const wrongTyp = await seal({ ...claims }, key, {
      typ: 'dasboard-oidc-state+jwt',
      issuedAt: T0 / 1000,
      expiresAt: T0 / 1000 + 600,
    });

    // Act + Assess
    expect(await unsealSession(viaStateKey.token, key, T0 + min)).toBeNull();
    expect(await unsealSession(wrongTyp, key, T0 + min)).toBeNull();
  });

  it('refuses a validly sealed token whose exp reaches past the absolute limit or is from the future', async () => {
    // Prepare: claims crafted with the real key (as if the key leaked together with a bug)
    const claims = startSession(alice, T0);
    const stretched = await seal({ ...claims }, key, {
      typ: 'dasboard-session+jwt',
      issuedAt: claims.auth_time,
      expiresAt: claims.auth_time + SESSION_LIMITS.absoluteS + 3600,
    });
    const future = await seal({ ...claims }, key, {
      typ: 'dasboard-session+jwt',
      issuedAt: claims.auth_time + 3600,
      expiresAt: claims.auth_time + 3600 + 600,
    });

    // Act + Assess
    expect(await unsealSession(stretched, key, T0 + min)).toBeNull();
    expect(await unsealSession(future, key, T0 + min)).toBeNull();
  });

  it('refuses an expired token even when the idle check alone would pass', async () => {
    // Prepare: exp one minute after iat
    const claims = startSession(alice, T0);
    const short = await seal({ ...claims }, key, {
      typ: 'dasboard-session+jwt',
      issuedAt: claims.auth_time,
      expiresAt: claims.auth_time + 60,
    });

    // Act + Assess
    expect(await unsealSession(short, key, T0 + 30_000)).not.toBeNull();
    expect(await unsealSession(short, key, T0 + 2 * min)).toBeNull();
  });
});

describe('startSession', () => {
  it('gives every sign-in its own session id and CSRF secret', () => {
    // Act
    const a = startSession(alice, T0);
    const b = startSession(alice, T0);

    // Assess
    expect(a.sid).not.toBe(b.sid);
    expect(a.csrf).not.toBe(b.csrf);
    expect(a.auth_time).toBe(T0 / 1000);
  });
});

describe('passwordVersion', () => {
  it('changes with the hash', () => {
    expect(passwordVersion('scrypt$a')).not.toBe(passwordVersion('scrypt$b'));
    expect(passwordVersion('scrypt$a')).toBe(passwordVersion('scrypt$a'));
  });
});
