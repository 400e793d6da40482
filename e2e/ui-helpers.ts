import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { randomIp, userFor } from './api/helpers';
import { GENERATED } from './generated-store';

/** Helpers of the UI specs: sign-in through the API in the page's context, axe, screenshots. */

// The generated days (dasboard generate → ingest), not the API specs' fixture days.
export const FROM = GENERATED.from;
export const TO = GENERATED.to;
export const rangeOf = (from: string, to: string) =>
  `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
export const RANGE = rangeOf(FROM, TO);
export const q = (text: string) => `q=${encodeURIComponent(text)}`;

export async function signInAs(page: Page, role: string): Promise<void> {
  const user = userFor(role);
  const response = await page.request.post('/api/auth/sign-in', {
    data: { name: user.name, password: user.password },
    headers: { 'x-forwarded-for': randomIp() },
  });
  expect(response.status(), `sign-in as ${role}`).toBe(200);
}

export async function apiJson(page: Page, url: string): Promise<unknown> {
  const response = await page.request.get(url);
  expect(response.status(), url).toBe(200);
  return response.json();
}

export async function expectNoSeriousA11y(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    'serious/critical axe violations',
  ).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** Every number in a list response (tests compare the UI with the API, never with constants). */
export function field<T>(value: unknown, key: string): T {
  if (typeof value !== 'object' || value === null) throw new Error(`not an object at ${key}`);
  return Reflect.get(value, key);
}

/** The loaded rows' event ids in table order (the table is virtualised: only rendered rows). */
export async function tableEventIds(page: Page): Promise<string[]> {
  return page.locator('tbody tr[data-event-id]').evaluateAll((rows) =>
    rows
      .map((r) => ({ i: Number(r.getAttribute('data-index')), id: r.getAttribute('data-event-id') ?? '' }))
      .sort((a, b) => a.i - b.i)
      .map((r) => r.id),
  );
}

/** The number of matching rows the query layer reports: the counts read summed over buckets. */
export async function matchingTotal(page: Page, range: string): Promise<number> {
  const counts = await apiJson(page, `/api/stats/counts?${range}`);
  return field<{ total: number }[]>(counts, 'buckets').reduce((sum, b) => sum + b.total, 0);
}

/** Submits a search in the explorer's box (Escape first closes the completion list). */
export async function search(page: Page, text: string): Promise<void> {
  const box = page.getByRole('combobox', { name: 'Search events' });
  await box.fill(text);
  await box.press('Escape');
  await box.press('Enter');
}

export const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

export interface EventRow {
  readonly event_id: string;
  readonly event_time: string;
  readonly class: string;
  readonly session_id: string | null;
  readonly resource_id: string;
}

export interface FoundSession {
  readonly id: string;
  readonly resource: string;
  readonly events: EventRow[];
}

export const sessionPath = (s: Pick<FoundSession, 'id' | 'resource'>) =>
  `/sessions?session=${encodeURIComponent(s.id)}&resource=${encodeURIComponent(s.resource)}&${RANGE}`;

/** A real session of the generated range whose events (as the page's user sees them) satisfy `accept`. */
export async function findSession(
  page: Page,
  text: string,
  accept: (events: readonly EventRow[]) => boolean,
): Promise<FoundSession> {
  const list = await apiJson(page, `/api/activity?${RANGE}&${q(text)}&limit=200`);
  for (const e of field<EventRow[]>(list, 'events')) {
    if (e.session_id === null) continue;
    const url = `/api/sessions?sessionId=${encodeURIComponent(e.session_id)}&resourceId=${encodeURIComponent(e.resource_id)}&${RANGE}`;
    const events = field<EventRow[]>(await apiJson(page, url), 'events');
    if (accept(events)) return { id: e.session_id, resource: e.resource_id, events };
  }
  throw new Error(`no session for ${text} in the generated range`);
}
