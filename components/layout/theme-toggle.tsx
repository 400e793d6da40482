'use client';

import { useState } from 'react';

export type Theme = 'system' | 'light' | 'dark';

const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };
// Same name as THEME_COOKIE in lib/auth/session-cookie.ts (a client leaf keeps its imports minimal).
const COOKIE = 'dasboard_theme';

/** Cycles system → light → dark; the cookie lets the server render the right theme next time. */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  function cycle() {
    const next = NEXT[theme];
    setTheme(next);
    // biome-ignore lint/suspicious/noDocumentCookie: a plain preference cookie, read on the server for the first paint
    document.cookie = `${COOKIE}=${next}; Path=/; Max-Age=31536000; SameSite=Lax${location.protocol === 'https:' ? '; Secure' : ''}`;
    if (next === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = next;
  }
  return (
    <button
      type="button"
      className="btn btn-ghost"
      onClick={cycle}
      aria-label={`Theme: ${LABEL[theme]}. Change theme`}
    >
      Theme: {LABEL[theme]}
    </button>
  );
}
