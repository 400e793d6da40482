import { expect as baseExpect, type Page, test } from '@playwright/test';
import {
  apiJson,
  expectNoSeriousA11y,
  field,
  matchingTotal,
  q,
  RANGE,
  rangeOf,
  screenshot,
  signInAs,
  tableEventIds,
} from './ui-helpers';

/** Keyboard-only use of the overview's chart and top lists, and the explorer's row count for assistive tech. */

const expect = baseExpect.configure({ timeout: 15_000 });
const MARK_NAME =
  /^([A-Z_]+), (\d{4}-\d\d-\d\d) (\d\d:\d\d)–(?:\d{4}-\d\d-\d\d )?\d\d:\d\d UTC, ([\d,]+) events?$/;

/** Presses Tab until the focused element matches `selector` (keyboard only: no clicks, no focus()). */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

const focusedAttr = (page: Page, name: string) =>
  page.evaluate((n) => document.activeElement?.getAttribute(n) ?? null, name);

/** After a drill-down: the explorer shows exactly `count` rows of `cls` (aria-rowcount counts the header). */
async function expectDrilled(page: Page, cls: string | null, count: number): Promise<void> {
  await expect(page).toHaveURL(/\/activity\?/);
  const table = page.getByRole('table', { name: 'Events' });
  await expect(table).toHaveAttribute('aria-rowcount', String(count + 1));
  if (cls === null) return;
  const classes = await page
    .locator('tbody tr[data-class]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-class')));
  expect(classes.length).toBe(Math.min(count, classes.length));
  expect(new Set(classes)).toEqual(new Set([cls]));
}

test('chart segments: one tab stop, arrows move, Enter and Space drill into the explorer', async ({
  page,
}) => {
  await signInAs(page, 'admin');
  await page.goto(`/?${RANGE}`);
  const marks = page.locator('[data-mark]');
  await expect(marks.first()).toBeAttached();
  await expect(page.locator('[data-mark][tabindex="0"]')).toHaveCount(1);

  await tabTo(page, '[data-mark]');
  const start = await focusedAttr(page, 'data-mark');
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowUp']) await page.keyboard.press(key);
  const key = await focusedAttr(page, 'data-mark');
  expect(key).not.toBe(start);
  // Roving tabindex: the focused segment is the only one in the tab order.
  await expect(page.locator('[data-mark][tabindex="0"]')).toHaveAttribute('data-mark', key ?? '');
  await expect(page.locator('.chart-focus-ring')).toBeVisible();
  const name = (await focusedAttr(page, 'aria-label')) ?? '';
  const [, cls, day, time, shown] = MARK_NAME.exec(name) ?? [];
  expect(cls, `accessible name "${name}"`).toBeDefined();
  await expect(page.locator('.chart-readout')).toHaveText(name);
  // The name states the count of that bucket and class in the counts read.
  const buckets = field<{ start: string; counts: Record<string, number> }[]>(
    await apiJson(page, `/api/stats/counts?${RANGE}`),
    'buckets',
  );
  const bucket = buckets.find((b) => b.start.startsWith(`${day}T${time}`));
  const count = bucket?.counts[cls ?? ''] ?? -1;
  expect(Number((shown ?? '').replaceAll(',', ''))).toBe(count);
  await expectNoSeriousA11y(page);
  await screenshot(page, 'overview-chart-focus');

  await page.keyboard.press('Enter');
  await expectDrilled(page, cls ?? '', count);
  const url = new URL(page.url());
  expect(url.searchParams.get('q')).toBe(`class:${cls}`);
  expect(url.searchParams.get('from')).toBe(bucket?.start);

  await page.goBack();
  await tabTo(page, '[data-mark]');
  await page.keyboard.press('End');
  const last = (await focusedAttr(page, 'aria-label')) ?? '';
  const [, lastCls, , , lastShown] = MARK_NAME.exec(last) ?? [];
  await page.keyboard.press(' ');
  await expectDrilled(page, lastCls ?? '', Number((lastShown ?? '').replaceAll(',', '')));
});

test('top lists: each row is a named link that opens the explorer on Enter', async ({ page }) => {
  await signInAs(page, 'auditor');
  await page.goto(`/?${RANGE}`);
  await expect(page.getByRole('region', { name: 'Top databases' }).getByRole('link').first()).toBeVisible();
  await tabTo(page, 'section[aria-label="Top databases"] a');
  const name = (await focusedAttr(page, 'aria-label')) ?? '';
  const [, value, count] = /^(.+): ([\d,]+) events?(?:, [\d,]+ failed)?$/.exec(name) ?? [];
  expect(value, `accessible name "${name}"`).toBeDefined();
  await page.keyboard.press('Enter');
  await expectDrilled(page, null, Number((count ?? '').replaceAll(',', '')));
  expect(new URL(page.url()).searchParams.get('q')).toBe(`db:${JSON.stringify(value)}`);
});

test('explorer aria-rowcount: every matching row (header included), -1 while the total is unknown', async ({
  page,
}) => {
  await signInAs(page, 'admin');
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(
    (url) => url.pathname === '/api/stats/counts',
    async (route) => {
      await held;
      await route.continue();
    },
  );
  await page.goto(`/activity?${RANGE}`);
  const table = page.getByRole('table', { name: 'Events' });
  await expect(page.locator('tbody tr[data-event-id]').first()).toBeVisible();
  await expect(table).toHaveAttribute('aria-rowcount', '-1');
  await expect(page.getByTestId('grid-foot')).toContainText('total still being counted');
  release();
  const total = await matchingTotal(page, RANGE);
  const loaded = (await tableEventIds(page)).length;
  expect(total).toBeGreaterThan(1000);
  await expect(table).toHaveAttribute('aria-rowcount', String(total + 1));
  expect(loaded).toBeLessThan(total);
  await expect(page.getByTestId('grid-foot')).toContainText(
    `of ${total.toLocaleString('en-US')} matching events`,
  );
  await page.unroute((url) => url.pathname === '/api/stats/counts');

  // A narrower search: the count follows the search, not the rows loaded so far.
  const hour = rangeOf('2026-02-03T10:00:00.000Z', '2026-02-03T11:00:00.000Z');
  await page.goto(`/activity?${hour}&${q('-class:DQL')}`);
  const narrow = await matchingTotal(page, `${hour}&${q('-class:DQL')}`);
  expect(narrow).toBeGreaterThan(0);
  await expect(table).toHaveAttribute('aria-rowcount', String(narrow + 1));
});
