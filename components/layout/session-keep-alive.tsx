'use client';

import { usePathname } from 'next/navigation';
import { useEffect } from 'react';

const EVERY_MS = 4 * 60_000;
let lastPing = Date.now();

/**
 * Navigating counts as activity: at most every 4 minutes a page change calls /api/me, which
 * re-issues the session cookie (idle timeout 30 min). No timer: an idle tab still times out.
 */
export function SessionKeepAlive() {
  const pathname = usePathname();
  useEffect(() => {
    if (pathname === null || Date.now() - lastPing < EVERY_MS) return;
    lastPing = Date.now();
    void fetch('/api/me', { credentials: 'same-origin' }).then((response) => {
      if (response.status === 401) window.location.assign('/sign-in?error=expired');
    });
  }, [pathname]);
  return null;
}
