import './globals.css';
import type { Metadata, Viewport } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { THEME_COOKIE } from '../lib/auth/session-cookie';
import { Providers } from './providers';

export const metadata: Metadata = {
  title: { default: 'dasboard', template: '%s · dasboard' },
  description: 'Database Activity Streams audit trails, need-to-know',
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
};

// The theme comes from a cookie on the server, so the first paint already has it (no flash).
export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = (await cookies()).get(THEME_COOKIE)?.value;
  const pinned = theme === 'light' || theme === 'dark' ? theme : undefined;
  return (
    <html lang="en" data-theme={pinned}>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
