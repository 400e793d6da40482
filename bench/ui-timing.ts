/**
 * UI timing (issue 5): the production dashboard over the 10 M-event benchmark store, driven by
 * Chromium. Measured in the page (performance.now(), so Playwright's own latency stays out):
 * navigation to the overview (24 h) until the stat numbers and the chart are rendered, and in the
 * explorer (1 day) a new search until the table shows its rows. Baselines from the same run, since
 * the machine is shared: the sign-in page until hydrated, and a /api/health fetch; plus the same
 * API reads fetched alone, so the figures split into server time and page time.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/paths';
import { ensureBuild, PACKAGE_ROOT } from '../lib/cli/serve';
import { STORE_END, storeDirFor } from './build-store';
import { startUiServer } from './ui-server';
import { median, percentile, printTable } from './util';

const ITERATIONS = Number(process.env.BENCH_UI_ITERATIONS ?? 15);
const WARMUP = 2;
const HOUR = 3_600_000;
/** Searches the explorer switches between (each differs from the one before it). */
const SEARCHES = [
  'class:DDL,DCL',
  '-user:rdsadmin class:DML',
  'failed:true',
  'db:sales class:DQL',
  'class:CONNECT,DISCONNECT',
  'engine:mysql class:DML',
  'class:AUTH_FAILURE',
];

const rangeParams = (hours: number) =>
  new URLSearchParams({
    from: new Date(STORE_END.getTime() - hours * HOUR).toISOString(),
    to: STORE_END.toISOString(),
  });
const OVERVIEW = `/?${rangeParams(24)}`;
const OVERVIEW_READS = [
  'stats/overview',
  'stats/counts',
  ...['user', 'database', 'object', 'host'].map((d) => `stats/top?dimension=${d}`),
  'stats/auth-failures',
].map((r) => `/api/${r}${r.includes('?') ? '&' : '?'}${rangeParams(24)}`);
const explorerUrl = (q: string) => `/activity?${rangeParams(24)}&${new URLSearchParams({ q })}`;
const listUrl = (q: string) => `/api/activity?${rangeParams(24)}&${new URLSearchParams({ q, limit: '500' })}`;

/**
 * Milliseconds since navigation start when `readyAt` first returns a time (checked every frame).
 * Playwright runs it in the page as given (its source, not a closure).
 */
async function navigateUntil(page: Page, url: string, readyAt: () => number | false): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(readyAt, undefined, { polling: 'raf', timeout: 60_000 });
  return Number(await handle.jsonValue());
}

// React marks hydrated elements with __reactProps$…: the form works from then on.
const hydratedAt = () => {
  const button = document.querySelector('form button[type="submit"]');
  const ready = button !== null && Object.keys(button).some((k) => k.startsWith('__reactProps'));
  return ready ? performance.now() : false;
};
const overviewRenderedAt = () =>
  document.querySelector('[data-testid="stat-events"][data-value]') !== null &&
  document.querySelector('svg [data-mark]') !== null
    ? performance.now()
    : false;

/** Timed from the Enter that submits `next` until the table shows rows of that search. */
async function searchUntilRows(
  page: Page,
  current: string,
  next: string,
): Promise<{ ms: number; first: string }> {
  await page.goto(explorerUrl(current));
  await page.locator('tbody tr[data-event-id]').first().waitFor({ timeout: 60_000 });
  const before = await page.locator('tbody tr[data-index="0"]').getAttribute('data-event-id');
  const box = page.getByRole('combobox', { name: 'Search events' });
  await box.fill(next);
  await box.press('Escape');
  await page.evaluate(() => {
    const w = window as unknown as { benchT0?: number };
    window.addEventListener(
      'keydown',
      () => {
        w.benchT0 = performance.now();
      },
      { capture: true, once: true },
    );
  });
  await box.press('Enter');
  const handle = await page.waitForFunction(
    ({ q, before }) => {
      const w = window as unknown as { benchT0?: number };
      const first = document.querySelector('tbody tr[data-index="0"]')?.getAttribute('data-event-id');
      const busy = document.querySelector('.explorer-main')?.getAttribute('aria-busy') === 'true';
      const url = new URLSearchParams(location.search).get('q');
      if (w.benchT0 === undefined || url !== q || busy || !first || first === before) return false;
      return { ms: performance.now() - w.benchT0, first };
    },
    { q: next, before },
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as { ms: number; first: string };
}

async function fetchTimed(page: Page, urls: readonly string[]): Promise<number> {
  return page.evaluate(async (list) => {
    const t = performance.now();
    await Promise.all(list.map((u) => fetch(u, { cache: 'no-store' }).then((r) => r.arrayBuffer())));
    return performance.now() - t;
  }, urls);
}

async function signIn(context: BrowserContext, user: { name: string; password: string }): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL((u) => u.pathname === '/', { timeout: 60_000 });
  return page;
}

type Samples = Record<
  'signIn' | 'health' | 'overview' | 'overviewApi' | 'explorer' | 'explorerApi',
  number[]
>;

async function measure(baseUrl: string, user: { name: string; password: string }): Promise<Samples> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const anonymous = await (await browser.newContext({ baseURL: baseUrl })).newPage();
    const page = await signIn(await browser.newContext({ baseURL: baseUrl }), user);
    const s: Samples = {
      signIn: [],
      health: [],
      overview: [],
      overviewApi: [],
      explorer: [],
      explorerApi: [],
    };
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      const keep = i >= WARMUP;
      const signInMs = await navigateUntil(anonymous, '/sign-in', hydratedAt);
      const overviewMs = await navigateUntil(page, OVERVIEW, overviewRenderedAt);
      const overviewApiMs = await fetchTimed(page, OVERVIEW_READS);
      const healthMs = await fetchTimed(page, ['/api/health']);
      const [current, next] = [
        SEARCHES[i % SEARCHES.length] ?? '',
        SEARCHES[(i + 1) % SEARCHES.length] ?? '',
      ];
      const search = await searchUntilRows(page, current, next);
      const explorerApiMs = await fetchTimed(page, [listUrl(next)]);
      // The row shown first must be the API's first row for that search (else the timing is of a wrong state).
      const api = (await (await page.request.get(listUrl(next))).json()) as {
        events: { event_id: string }[];
      };
      if (api.events[0]?.event_id !== search.first)
        throw new Error(`explorer showed ${search.first} for "${next}"`);
      if (!keep) continue;
      s.signIn.push(signInMs);
      s.health.push(healthMs);
      s.overview.push(overviewMs);
      s.overviewApi.push(overviewApiMs);
      s.explorer.push(search.ms);
      s.explorerApi.push(explorerApiMs);
    }
    return s;
  } finally {
    await browser.close();
  }
}

const round = (n: number) => Math.round(n);
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

export async function benchUiTiming(): Promise<Record<string, number | string>> {
  const log = (line: string) => process.stderr.write(`[ui-timing] ${line}\n`);
  await ensureBuild(log);
  const events = Number(process.env.BENCH_UI_EVENTS ?? 10_000_000);
  // Read-only use of the query benchmark's store: never build or remove it here (a build in
  // progress elsewhere has no marker yet, and building would wipe it).
  const storeDir = storeDirFor(events);
  if (!existsSync(path.join(storeDir, '.complete'))) {
    throw new Error(
      `${storeDir} is not complete: build it first (node --import tsx bench/build-store.ts ${events}, or npm run bench -- query)`,
    );
  }
  const server = await startUiServer(
    path.join(storeDir, 'activity'),
    path.join(PACKAGE_ROOT, '.bench', 'ui-timing'),
  );
  try {
    log(`server on ${server.baseUrl}, ${ITERATIONS} iterations after ${WARMUP} warm-up`);
    const s = await measure(server.baseUrl, server.user);
    const base = { p50: median(s.signIn), p95: percentile(s.signIn, 95) };
    const rows: Record<string, number | string> = { 'store events': events, iterations: ITERATIONS };
    const add = (name: string, xs: number[], withRatio: boolean) => {
      const p50 = median(xs);
      const p95 = percentile(xs, 95);
      rows[`${name} p50 / p95 ms`] = `${round(p50)} / ${round(p95)}`;
      if (withRatio)
        rows[`${name} / sign-in baseline p50 (p95)`] = `${ratio(p50, base.p50)} (${ratio(p95, base.p95)})`;
    };
    add('baseline: sign-in page until hydrated', s.signIn, false);
    add('baseline: /api/health fetch', s.health, false);
    add('overview 24 h: navigation until stats and chart rendered', s.overview, true);
    add('overview 24 h: its 7 API reads alone, in parallel', s.overviewApi, true);
    add('explorer 1 day: new search until the table shows its rows', s.explorer, true);
    add('explorer 1 day: its list read alone', s.explorerApi, true);
    rows['overview page / its API reads p50'] = ratio(median(s.overview), median(s.overviewApi));
    rows['explorer page / its list read p50'] = ratio(median(s.explorer), median(s.explorerApi));
    printTable('UI timing (production build, Chromium, 10 M-event store)', rows);
    return rows;
  } finally {
    await server.stop();
  }
}
