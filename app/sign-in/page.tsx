import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '../../components/auth/sign-in-form';
import { safeReturnTo } from '../../lib/auth/return-to';
import { getPrincipal } from '../../lib/auth/session';
import { getConfig } from '../../lib/config/current';

export const metadata: Metadata = { title: 'Sign in' };

const MESSAGES: Record<string, string> = {
  'no-role':
    'You signed in, but none of your groups maps to a dasboard role. Ask an administrator to map one of your groups in the config file.',
  oidc: 'Single sign-on did not complete. Try again; if it keeps failing, contact an administrator.',
  expired: 'Your session ended. Sign in again.',
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const returnTo = safeReturnTo(params.returnTo);
  if ((await getPrincipal()) !== null) redirect(returnTo);
  const config = getConfig();
  const error = typeof params.error === 'string' ? MESSAGES[params.error] : undefined;
  const hasLocal = config.users.length > 0;
  const hasOidc = config.oidc !== undefined;
  const ssoHref = `/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`;

  return (
    <main className="auth-page" id="main">
      <div className="card auth-card">
        <h1>Sign in</h1>
        <p className="muted">dasboard · database activity audit</p>
        {error !== undefined && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        {hasOidc && (
          <a className="btn btn-primary btn-block" href={ssoHref}>
            Sign in with single sign-on
          </a>
        )}
        {hasOidc && hasLocal && <div className="auth-divider">or with a local account</div>}
        {hasLocal && <SignInForm returnTo={returnTo} />}
        {!hasLocal && !hasOidc && (
          <div className="alert alert-warning">
            No accounts are configured. Create one with <code>dasboard users add NAME --role admin</code> (the
            password is read from standard input).
          </div>
        )}
      </div>
    </main>
  );
}
