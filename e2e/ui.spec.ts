import { readFileSync } from 'node:fs';
import { expect as baseExpect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { apiJson, expectNoSeriousA11y, field, RANGE, screenshot, signInAs } from './ui-helpers';

// The first visit of a page may compile it (dev server) or scan the store: allow for that.
const expect = baseExpect.configure({ timeout: 15_000 });
const ROLES = ['admin', 'auditor', 'security-lead', 'app-team'] as const;
const q = (text: string) => `q=${encodeURIComponent(text)}`;
type Row = {
  event_id: string;
  event_time: string;
  class: string;
  session_id: string | null;
  resource_id: string;
};

test.describe('overview', () => {
  for (const role of ROLES) {
    test(`${role}: numbers match the API, no serious a11y issues`, async ({ page }) => {
      await signInAs(page, role);
      await page.goto(`/?${RANGE}`);
      const api = await apiJson(page, `/api/stats/overview?${RANGE}`);
      await expect(page.getByTestId('stat-events')).toHaveAttribute(
        'data-value',
        String(field(api, 'events')),
      );
      await expect(page.getByTestId('stat-failed')).toHaveAttribute(
        'data-value',
        String(field(api, 'failed')),
      );
      await expect(page.getByRole('heading', { name: 'Top users' })).toBeVisible();
      await expectNoSeriousA11y(page);
      await screenshot(page, `overview-${role}`);
    });
  }
});

test.describe('explorer', () => {
  test('class:DDL in the search box filters every visible row to DDL', async ({ page }) => {
    await signInAs(page, 'admin');
    await page.goto(`/activity?${RANGE}`);
    await expect(page.locator('tbody tr').first()).toBeVisible();
    const box = page.getByRole('combobox', { name: 'Search events' });
    await box.fill('class:DDL');
    await box.press('Escape');
    await box.press('Enter');
    await expect(page).toHaveURL(/q=class%3ADDL/);
    await expect(page.locator('tbody tr[data-class]').first()).toHaveAttribute('data-class', 'DDL');
    const classes = await page
      .locator('tbody tr[data-class]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-class')));
    expect(classes.length).toBeGreaterThan(0);
    expect(new Set(classes)).toEqual(new Set(['DDL']));
    await expectNoSeriousA11y(page);
    await screenshot(page, 'explorer-ddl');
  });

  test('a bad search marks the token and does not search', async ({ page }) => {
    await signInAs(page, 'admin');
    await page.goto(`/activity?${RANGE}`);
    const box = page.getByRole('combobox', { name: 'Search events' });
    await box.fill('user:alice colour:red');
    await expect(page.getByRole('alert').filter({ hasText: 'unknown field' })).toBeVisible();
    await expect(page.locator('.search-mirror mark')).toHaveText('colour');
    await box.press('Enter');
    await expect(page).not.toHaveURL(/colour/);
  });

  test('Enter on a row opens the drawer with the statement; Esc closes it', async ({ page }) => {
    await signInAs(page, 'admin');
    await page.goto(`/activity?${RANGE}&${q('class:DDL')}`);
    const first = page.locator('tbody tr[data-class]').first();
    await first.focus();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog');
    await expect(drawer.getByTestId('sql')).toBeVisible();
    const url = new URL(page.url());
    const detail = await apiJson(
      page,
      `/api/activity/${encodeURIComponent(url.searchParams.get('event') ?? '')}?at=${encodeURIComponent(url.searchParams.get('at') ?? '')}`,
    );
    const text = String(field(field(detail, 'event'), 'command_text'));
    const shown = (await drawer.getByTestId('sql').textContent()) ?? '';
    expect(shown.replace(/\s+/g, ' ').trim()).toBe(text.replace(/\s+/g, ' ').trim());
    await expectNoSeriousA11y(page);
    await screenshot(page, 'explorer-drawer');
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
  });

  test('export downloads a CSV with as many rows as the search', async ({ page }) => {
    await signInAs(page, 'admin');
    await page.goto(`/activity?${RANGE}&${q('class:DDL,DCL')}`);
    const api = await apiJson(page, `/api/activity?${RANGE}&${q('class:DDL,DCL')}&limit=1000`);
    const expected = field<Row[]>(api, 'events').length;
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const records: unknown[] = parse(readFileSync(file, 'utf8'), { columns: true });
    expect(records.length).toBe(expected);
    await expect(page.getByTestId('export-status')).toContainText(`${expected} rows`);
    await expect(page.getByRole('link', { name: 'Manifest' })).toBeVisible();
  });
});

test('DDL timeline shows the API entries and their statements', async ({ page }) => {
  await signInAs(page, 'auditor');
  await page.goto(`/ddl?${RANGE}`);
  const api = await apiJson(page, `/api/ddl-timeline?${RANGE}`);
  const entries = field<{ command_text: string | null }[]>(api, 'entries');
  await expect(page.getByTestId('ddl-entry')).toHaveCount(entries.length);
  const first = entries[0]?.command_text ?? '';
  const shown = (await page.getByTestId('ddl-entry').first().getByTestId('sql').textContent()) ?? '';
  expect(shown.replace(/\s+/g, ' ').trim()).toBe(first.replace(/\s+/g, ' ').trim());
  await expectNoSeriousA11y(page);
  await screenshot(page, 'ddl-timeline');
});

test('session page lists the session events in order', async ({ page }) => {
  await signInAs(page, 'admin');
  const session = `session=sess-life&resource=cluster-FIXTUREA&${RANGE}`;
  await page.goto(`/sessions?${session}`);
  const api = await apiJson(page, `/api/sessions?sessionId=sess-life&resourceId=cluster-FIXTUREA&${RANGE}`);
  const events = field<Row[]>(api, 'events');
  expect(events.length).toBeGreaterThan(0);
  await expect(page.getByTestId('session-event')).toHaveCount(events.length);
  const shown = await page
    .getByTestId('session-event')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-class')));
  expect(shown).toEqual(events.map((e) => e.class));
  await expectNoSeriousA11y(page);
  await screenshot(page, 'session');
});

test('security-lead never sees DML or DQL, and cannot export', async ({ page }) => {
  await signInAs(page, 'security-lead');
  for (const path of [
    `/?${RANGE}`,
    `/activity?${RANGE}`,
    `/activity?${RANGE}&${q('class:DML,DQL')}`,
    `/ddl?${RANGE}`,
  ]) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    await expect(page.locator('[data-class="DML"], [data-class="DQL"]')).toHaveCount(0);
    await expect(page.locator('main')).not.toContainText(/\bD[MQ]L\b/);
  }
  await page.goto(`/activity?${RANGE}`);
  await expect(page.locator('tbody tr[data-class]').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export CSV' })).toHaveCount(0);
});

test('access log: admin sees entries, auditor gets not found', async ({ page, browser }) => {
  await signInAs(page, 'admin');
  const now = new Date();
  const range = `from=${encodeURIComponent(new Date(now.getTime() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(now.getTime() + 60_000).toISOString())}`;
  await page.goto(`/access-log?${range}`);
  await expect(page.getByRole('table', { name: 'Access log' })).toBeVisible();
  await expectNoSeriousA11y(page);
  await screenshot(page, 'access-log');
  const other = await browser.newPage();
  await signInAs(other, 'auditor');
  const response = await other.goto('/access-log');
  expect(response?.status()).toBe(404);
  await other.close();
});

test('dark theme explorer renders (screenshot)', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await signInAs(page, 'auditor');
  await page.goto(`/activity?${RANGE}`);
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await expectNoSeriousA11y(page);
  await screenshot(page, 'explorer-dark');
});
