import Link from 'next/link';
import type { ReactNode } from 'react';
import { MainNav, type NavItem } from './main-nav';
import { SessionKeepAlive } from './session-keep-alive';
import { SignOutButton } from './sign-out-button';
import { type Theme, ThemeToggle } from './theme-toggle';

export interface ShellUser {
  readonly name: string;
  readonly roles: readonly string[];
  readonly canReadAccessLog: boolean;
}

const NAV: readonly (NavItem & { accessLogOnly?: boolean })[] = [
  { href: '/', label: 'Overview' },
  { href: '/activity', label: 'Explorer' },
  { href: '/ddl', label: 'DDL timeline' },
  { href: '/sessions', label: 'Sessions' },
  { href: '/access-log', label: 'Access log', accessLogOnly: true },
];

/** Header (brand, user and roles, theme, sign-out) + navigation + main content. */
export function AppShell({ user, theme, children }: { user: ShellUser; theme: Theme; children: ReactNode }) {
  const items = NAV.filter((item) => !item.accessLogOnly || user.canReadAccessLog).map(({ href, label }) => ({
    href,
    label,
  }));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell-header">
        <Link className="brand" href="/">
          dasboard
        </Link>
        <span className="spacer" />
        <span className="user-badge">
          <span className="sr-only">Signed in as</span>
          <strong>{user.name}</strong>
          <span className="roles">{user.roles.join(', ')}</span>
        </span>
        <ThemeToggle initial={theme} />
        <SignOutButton />
      </header>
      <nav className="shell-nav" aria-label="Main">
        <MainNav items={items} />
      </nav>
      <main className="shell-main" id="main">
        {children}
      </main>
      <SessionKeepAlive />
    </div>
  );
}
