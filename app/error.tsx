'use client';

import { useEffect } from 'react';

// Shows the digest (a server-side correlation id) and never the error text: it may quote internals.
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    document.title = 'Something went wrong · dasboard';
  }, []);
  return (
    <main className="shell-main" id="main">
      <div className="card stack" role="alert">
        <h1>Something went wrong</h1>
        <p className="muted">
          The page could not be shown. Try again; if it keeps failing, give an administrator this reference:{' '}
          <code>{error.digest ?? 'none'}</code>
        </p>
        <div>
          <button type="button" className="btn btn-primary" onClick={reset}>
            Try again
          </button>
        </div>
      </div>
    </main>
  );
}
