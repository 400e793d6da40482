'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/**
 * Everything the user chose lives in the URL (reloads and shared links reproduce the view).
 * Presets are stored with their resolved `from`/`to`, so the view stays put until re-chosen.
 */

export const RANGE_PRESETS = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};
export type RangePreset = keyof typeof RANGE_PRESETS;
export const PRESET_NAMES: readonly RangePreset[] = ['1h', '24h', '7d', '30d'];
export const isPreset = (v: string | null): v is RangePreset => PRESET_NAMES.some((p) => p === v);

export interface RangeState {
  readonly q: string;
  readonly from: string;
  readonly to: string;
  /** the preset that produced from/to, or 'custom' */
  readonly range: RangePreset | 'custom';
}

export interface ExplorerState extends RangeState {
  readonly sort: string;
  readonly cols: readonly string[] | null;
  readonly event: string | null;
  readonly at: string | null;
}

type Params = Pick<URLSearchParams, 'get'>;
const MINUTE = 60_000;

/** A preset's range ending at `now` rounded up to the minute (stable across a render). */
export function presetRange(preset: RangePreset, now: number): { from: string; to: string } {
  const to = Math.ceil(now / MINUTE) * MINUTE;
  return { from: new Date(to - RANGE_PRESETS[preset]).toISOString(), to: new Date(to).toISOString() };
}

const validIso = (v: string | null): v is string => v !== null && !Number.isNaN(Date.parse(v));

export function readRange(params: Params, now: number, fallback: RangePreset = '24h'): RangeState {
  const q = params.get('q') ?? '';
  const from = params.get('from');
  const to = params.get('to');
  const preset = params.get('range');
  if (validIso(from) && validIso(to)) {
    return { q, from, to, range: isPreset(preset) ? preset : 'custom' };
  }
  const chosen = isPreset(preset) ? preset : fallback;
  return { q, ...presetRange(chosen, now), range: chosen };
}

export function readExplorer(params: Params, now: number): ExplorerState {
  const cols = params.get('cols');
  return {
    ...readRange(params, now),
    sort: params.get('sort') ?? 'event_time:desc',
    cols: cols === null ? null : cols.split(',').filter((c) => c !== ''),
    event: params.get('event'),
    at: params.get('at'),
  };
}

/** Serialises a (partial) state over the current params; null or '' removes a key. */
export function mergeParams(current: string, patch: Readonly<Record<string, string | null>>): string {
  const next = new URLSearchParams(current);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === '') next.delete(key);
    else next.set(key, value);
  }
  return next.toString();
}

/** Link into the explorer with a search and range. */
export function explorerHref(q: string, from: string, to: string): string {
  return `/activity?${new URLSearchParams({ q, from, to }).toString()}`;
}

/**
 * `push` for choices the user may want to go back from; `replace` for transient ones. The
 * browser's history API, which Next syncs into useSearchParams: no dashboard page reads search
 * params on the server, so a router navigation would only add a server round trip per change.
 */
export function useUrlPatch(): (
  patch: Readonly<Record<string, string | null>>,
  mode?: 'push' | 'replace',
) => void {
  const pathname = usePathname();
  const params = useSearchParams();
  return useCallback(
    (patch, mode = 'push') => {
      const query = mergeParams(params.toString(), patch);
      const href = query === '' ? pathname : `${pathname}?${query}`;
      if (mode === 'push') window.history.pushState(null, '', href);
      else window.history.replaceState(null, '', href);
    },
    [pathname, params],
  );
}
