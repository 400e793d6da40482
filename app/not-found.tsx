import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="auth-page" id="main">
      <div className="card auth-card stack">
        <h1>Not found</h1>
        <p className="muted">There is nothing at this address, or it is outside what you may see.</p>
        <div>
          <Link className="btn" href="/">
            Back to the overview
          </Link>
        </div>
      </div>
    </main>
  );
}
