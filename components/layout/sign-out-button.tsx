'use client';

import { useState } from 'react';
import { z } from 'zod';
import { fetchJson } from '../../lib/client/fetch-json';

const signedOutSchema = z.object({ signedOut: z.literal(true) });

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    try {
      await fetchJson('/api/auth/sign-out', signedOutSchema, { method: 'POST' });
    } catch {
      // Already signed out or the session expired: the sign-in page is the right place either way.
    }
    window.location.assign('/sign-in');
  }
  return (
    <button type="button" className="btn btn-ghost" onClick={signOut} disabled={busy}>
      {busy ? 'Signing out…' : 'Sign out'}
    </button>
  );
}
