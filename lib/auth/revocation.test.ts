import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RevocationList } from './revocation';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dasboard-revocation-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('RevocationList', () => {
  it('revokes until the given time, then forgets', () => {
    // Prepare
    let now = 1_000_000;
    const list = new RevocationList({ now: () => now });

    // Act
    list.revoke('sid-1', 1_000 + 60);

    // Assess
    expect(list.isRevoked('sid-1')).toBe(true);
    expect(list.isRevoked('sid-2')).toBe(false);
    now = 1_061_000;
    expect(list.isRevoked('sid-1')).toBe(false);
  });

  it('survives a restart through its file (mode 0600)', () => {
    // Prepare
    const file = path.join(dir, '.dasboard', 'revoked-sessions.json');
    const now = () => 1_000_000;
    new RevocationList({ file, now }).revoke('sid-1', 2_000);

    // Act
    const reloaded = new RevocationList({ file, now });

    // Assess
    expect(reloaded.isRevoked('sid-1')).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses to start from a damaged file rather than revive sessions', () => {
    // Prepare
    const file = path.join(dir, 'revoked.json');
    writeFileSync(file, '["sid-1"]');

    // Act + Assess
    expect(() => new RevocationList({ file })).toThrow(/damaged revocation list/);
  });
});
