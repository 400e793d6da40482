'use client';

import { type FormEvent, useState } from 'react';

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'error'; message: string };

export function SignInForm({ returnTo }: { returnTo: string }) {
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setStatus({ kind: 'busy' });
    try {
      const response = await fetch('/api/auth/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ name: form.get('name'), password: form.get('password') }),
      });
      if (response.ok) {
        // A full navigation, so every server component renders with the new session.
        window.location.assign(returnTo);
        return;
      }
      setStatus({ kind: 'error', message: messageFor(response.status, response.headers.get('retry-after')) });
    } catch {
      setStatus({
        kind: 'error',
        message: 'The server did not answer. Check your connection and try again.',
      });
    }
  }

  const error = status.kind === 'error' ? status.message : undefined;
  return (
    <form onSubmit={onSubmit} noValidate aria-describedby={error === undefined ? undefined : 'sign-in-error'}>
      {error !== undefined && (
        <div id="sign-in-error" className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      <div className="field">
        <label className="label" htmlFor="sign-in-name">
          User name
        </label>
        <input
          id="sign-in-name"
          className="input"
          name="name"
          autoComplete="username"
          required
          aria-invalid={error !== undefined}
        />
      </div>
      <div className="field">
        <label className="label" htmlFor="sign-in-password">
          Password
        </label>
        <input
          id="sign-in-password"
          className="input"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={error !== undefined}
        />
      </div>
      <button type="submit" className="btn btn-primary btn-block" disabled={status.kind === 'busy'}>
        {status.kind === 'busy' ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

function messageFor(status: number, retryAfter: string | null): string {
  if (status === 401) return 'Wrong user name or password.';
  if (status === 429) {
    const minutes = Math.max(1, Math.ceil(Number(retryAfter ?? '60') / 60));
    return `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  }
  if (status === 403) return 'Your account has no dasboard role, or the request was refused.';
  return 'Sign-in failed. Try again.';
}
