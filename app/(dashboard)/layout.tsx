import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { AppShell } from '../../components/layout/app-shell';
import type { Theme } from '../../components/layout/theme-toggle';
import { requirePagePrincipal } from '../../lib/auth/session';
import { THEME_COOKIE } from '../../lib/auth/session-cookie';

// Layouts do not re-render on every client navigation: each page must call requirePagePrincipal()
// itself before reading data. This check guards the shell (name, roles, navigation).
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const principal = await requirePagePrincipal();
  const stored = (await cookies()).get(THEME_COOKIE)?.value;
  const theme: Theme = stored === 'light' || stored === 'dark' ? stored : 'system';
  const user = { name: principal.name, roles: principal.roles, canReadAccessLog: principal.grant.accessLog };
  return (
    <AppShell user={user} theme={theme}>
      {children}
    </AppShell>
  );
}
