import { readFileSync } from 'node:fs';
import { expect as baseExpect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import {
  apiJson,
  type EventRow,
  expectNoSeriousA11y,
  field,
  findSession,
  matchingTotal,
  q,
  RANGE,
  screenshot,
  search,
  sessionPath,
  signInAs,
  squash,
  tableEventIds,
} from './ui-helpers';

// The first visit of a page may compile it (dev server) or scan the store: allow for that.
const expect = baseExpect.configure({ timeout: 15_000 });
const ROLES = ['admin', 'auditor', 'security-lead', 'app-team'] as const;
type Row = EventRow;
const STATS = {
  events: 'stat-events',
  ddl: 'stat-ddl',
  dcl: 'stat-dcl',
  failed: 'stat-failed',
  errors: 'stat-errors',
  authFailures: 'stat-auth',
  distinctUsers: 'stat-users',
} as const;

const n = (v: number) => v.toLocaleString('en-US');
const barName = (t: { value: string; count: number; failed: number }) =>
  `${t.value}: ${n(t.count)} ${t.count === 1 ? 'event' : 'events'}${t.failed ? `, ${n(t.failed)} failed` : ''}`;

test.describe('overview', () => {
  for (const role of ROLES) {
    test(`${role}: numbers, chart and top users match the API; no serious a11y issues`, async ({ page }) => {
      await signInAs(page, role);
      await page.goto(`/?${RANGE}`);
      const api = await apiJson(page, `/api/stats/overview?${RANGE}`);
      expect(field<number>(api, 'events')).toBeGreaterThan(0);
      await expect(page.getByTestId('stat-events')).toHaveAttribute(
        'data-value',
        String(field(api, 'events')),
      );
      for (const [key, testId] of Object.entries(STATS)) {
        const stat = page.getByTestId(testId);
        if ((await stat.count()) > 0)
          await expect(stat).toHaveAttribute('data-value', String(field(api, key)));
      }
      // One chart segment per (bucket, class) the counts read has, each named with its count.
      const counts = field<{ counts: Record<string, number> }[]>(
        await apiJson(page, `/api/stats/counts?${RANGE}`),
        'buckets',
      );
      const expected = counts.flatMap((b) => Object.values(b.counts).filter((n) => n > 0));
      await expect(page.locator('[data-mark]')).toHaveCount(expected.length);
      const top = field<{ value: string; count: number; failed: number }[]>(
        await apiJson(page, `/api/stats/top?${RANGE}&dimension=user`),
        'values',
      );
      const users = page.getByRole('region', { name: 'Top users' }).getByRole('link');
      await expect(users).toHaveCount(top.length);
      const names = await users.evaluateAll((links) => links.map((l) => l.getAttribute('aria-label')));
      expect(names).toEqual(top.map(barName));
      await expectNoSeriousA11y(page);
      await screenshot(page, `overview-${role}`);
    });
  }
});

test.describe('explorer', () => {
  test('the search syntax filters the table to what the API returns', async ({ page }) => {
    await signInAs(page, 'admin');
    await page.goto(`/activity?${RANGE}`);
    await expect(page.locator('tbody tr').first()).toBeVisible();
    const text = 'class:DML,DDL -user:rdsadmin db:app,shop';
    await search(page, text);
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(text);
    const api = field<Row[]>(await apiJson(page, `/api/activity?${RANGE}&${q(text)}&limit=1000`), 'events');
    expect(api.length).toBeGreaterThan(20);
    await expect.poll(() => tableEventIds(page).then((ids) => ids[0])).toBe(api[0]?.event_id);
    const shown = await tableEventIds(page);
    expect(shown.length).toBeGreaterThan(10);
    expect(shown).toEqual(api.slice(0, shown.length).map((e) => e.event_id));
    const classes = await page
      .locator('tbody tr[data-class]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-class')));
    expect(new Set(classes)).toEqual(new Set(api.slice(0, shown.length).map((e) => e.class)));
    await expect(page.getByRole('table', { name: 'Events' })).toHaveAttribute(
      'aria-rowcount',
      String((await matchingTotal(page, `${RANGE}&${q(text)}`)) + 1),
    );
    await expectNoSeriousA11y(page);
    await screenshot(page, 'explorer-search');
    // The search is a history entry: Back restores the unfiltered view.
    const all = field<Row[]>(await apiJson(page, `/api/activity?${RANGE}&limit=1`), 'events');
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBeNull();
    await expect(page.getByRole('combobox', { name: 'Search events' })).toHaveValue('');
    await expect.poll(() => tableEventIds(page).then((ids) => ids[0])).toBe(all[0]?.event_id);
  });

  test('a value the search cannot express (no database) is listed as (empty), not offered', async ({
    page,
  }) => {
    await signInAs(page, 'admin');
    const auth = `${RANGE}&${q('class:AUTH_FAILURE')}`;
    await page.goto(`/activity?${auth}`);
    const top = field<{ value: string; count: number }[]>(
      await apiJson(page, `/api/stats/top?${auth}&dimension=database`),
      'values',
    );
    const empty = top.find((v) => v.value === '');
    expect(empty, 'failed log-ins without a database in the generated data').toBeDefined();
    const facet = page.getByRole('region', { name: 'Database' });
    await expect(facet.locator('.facet-empty')).toHaveText(`(empty)${n(empty?.count ?? 0)}`);
    await expect(facet.getByRole('button')).toHaveCount(top.length - 1);
    await page.goto(`/?${auth}`);
    const dbs = page.getByRole('region', { name: 'Top databases' });
    await expect(dbs.getByText('(empty)', { exact: true })).toBeVisible();
    await expect(dbs.getByRole('link')).toHaveCount(top.length - 1);
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
    const id = await first.getAttribute('data-event-id');
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog');
    await expect(drawer.getByTestId('sql')).toBeVisible();
    const url = new URL(page.url());
    expect(url.searchParams.get('event')).toBe(id);
    const detail = await apiJson(
      page,
      `/api/activity/${encodeURIComponent(id ?? '')}?at=${encodeURIComponent(url.searchParams.get('at') ?? '')}`,
    );
    const text = String(field(field(detail, 'event'), 'command_text'));
    expect(text.length).toBeGreaterThan(0);
    expect(squash(await drawer.getByTestId('sql').textContent())).toBe(squash(text));
    await expectNoSeriousA11y(page);
    await screenshot(page, 'explorer-drawer');
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
  });

  test('export downloads a CSV whose rows are the search results', async ({ page }) => {
    await signInAs(page, 'admin');
    const text = 'class:DDL,DCL';
    await page.goto(`/activity?${RANGE}&${q(text)}`);
    const api = await apiJson(page, `/api/activity?${RANGE}&${q(text)}&limit=1000`);
    expect(field(api, 'nextCursor')).toBeNull();
    const expected = field<Row[]>(api, 'events').map((e) => e.event_id);
    expect(expected.length).toBeGreaterThan(0);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const records: Record<string, string>[] = parse(readFileSync(file, 'utf8'), { columns: true });
    expect(records.map((r) => r.event_id).sort()).toEqual([...expected].sort());
    expect(new Set(records.map((r) => r.class))).toEqual(new Set(['DDL', 'DCL']));
    await expect(page.getByTestId('export-status')).toContainText(`${expected.length} rows`);
    await expect(page.getByRole('link', { name: 'Manifest' })).toBeVisible();
    expect(Object.keys(records[0] ?? {})).not.toContain('raw');

    // With raw JSON: the same rows, each with the original event.
    await page.getByRole('checkbox', { name: 'with raw JSON' }).check();
    const again = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const withRaw: Record<string, string>[] = parse(readFileSync(await (await again).path(), 'utf8'), {
      columns: true,
    });
    expect(withRaw.map((r) => r.event_id).sort()).toEqual([...expected].sort());
    expect(withRaw.every((r) => JSON.parse(r.raw ?? '') !== null)).toBe(true);
  });
});

test('DDL timeline shows the API entries and their statements, older pages on demand', async ({ page }) => {
  await signInAs(page, 'auditor');
  await page.goto(`/ddl?${RANGE}`);
  const first = await apiJson(page, `/api/ddl-timeline?${RANGE}`);
  const entries = field<{ command_text: string | null }[]>(first, 'entries');
  const cursor = field<string | null>(first, 'nextCursor');
  expect(cursor, 'the generated range holds more than one page of DDL').not.toBeNull();
  await expect(page.getByTestId('ddl-entry')).toHaveCount(entries.length);
  const more = await apiJson(page, `/api/ddl-timeline?${RANGE}&cursor=${encodeURIComponent(cursor ?? '')}`);
  const all = [...entries, ...field<{ command_text: string | null }[]>(more, 'entries')];
  await page.getByRole('button', { name: 'Load older changes' }).click();
  await expect(page.getByTestId('ddl-entry')).toHaveCount(all.length);
  const shown = await page
    .getByTestId('ddl-entry')
    .evaluateAll((items) => items.map((i) => i.querySelector('[data-testid="sql"]')?.textContent ?? null));
  expect(shown.map(squash)).toEqual(all.map((e) => squash(e.command_text)));
  await expectNoSeriousA11y(page);
  await screenshot(page, 'ddl-timeline');
});

test('session page lists a real session of the store, in order', async ({ page }) => {
  await signInAs(page, 'admin');
  // One connect: a session id the engine has not reused within the range (SQL Server reuses spids).
  const session = await findSession(
    page,
    'class:CONNECT',
    (events) => events.length >= 6 && events.filter((e) => e.class === 'CONNECT').length === 1,
  );
  await page.goto(sessionPath(session));
  await expect(page.getByTestId('session-event')).toHaveCount(session.events.length);
  const shown = await page
    .getByTestId('session-event')
    .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-event-id'), r.getAttribute('data-class')]));
  expect(shown).toEqual(session.events.map((e) => [e.event_id, e.class]));
  await expectNoSeriousA11y(page);
  await screenshot(page, 'session');
});

test('a reused session id shows one session at a time, the others one click away', async ({ page }) => {
  await signInAs(page, 'admin');
  // SQL Server reuses spids: look for an id that connected at least twice in the range.
  const list = await apiJson(page, `/api/activity?${RANGE}&${q('class:CONNECT engine:sqlserver')}&limit=200`);
  let found: { id: string; resource: string; connects: string[] } | null = null;
  for (const e of field<EventRow[]>(list, 'events')) {
    if (e.session_id === null) continue;
    const url = `/api/sessions?sessionId=${encodeURIComponent(e.session_id)}&resourceId=${encodeURIComponent(e.resource_id)}&${RANGE}`;
    const connects = field<string[]>(await apiJson(page, url), 'connects');
    if (connects.length >= 2) {
      found = { id: e.session_id, resource: e.resource_id, connects };
      break;
    }
  }
  if (found === null) throw new Error('no reused SQL Server session id in the generated range');
  await page.goto(sessionPath(found));
  const note = page.getByTestId('session-reused');
  await expect(note).toContainText(`${found.connects.length} sessions connected with it`);
  await note.getByRole('button').first().click();
  await expect(page).toHaveURL(/[?&]at=/);
  const first = await apiJson(
    page,
    `/api/sessions?sessionId=${encodeURIComponent(found.id)}&resourceId=${encodeURIComponent(found.resource)}&${RANGE}&at=${encodeURIComponent(found.connects[0] ?? '')}`,
  );
  const events = field<EventRow[]>(first, 'events');
  await expect(page.getByTestId('session-event')).toHaveCount(events.length);
  const shown = await page
    .getByTestId('session-event')
    .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-event-id'), r.getAttribute('data-class')]));
  expect(shown).toEqual(events.map((e) => [e.event_id, e.class]));
  expect(shown.filter(([, c]) => c === 'CONNECT')).toHaveLength(1);
  await expect(note.getByRole('button').first()).toHaveAttribute('aria-pressed', 'true');
  await expectNoSeriousA11y(page);
  await screenshot(page, 'session-reused');
});

test('access log: admin sees entries, auditor gets not found', async ({ page, browser }) => {
  await signInAs(page, 'admin');
  await apiJson(page, `/api/stats/overview?${RANGE}`);
  const now = new Date();
  const range = `from=${encodeURIComponent(new Date(now.getTime() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(now.getTime() + 60_000).toISOString())}`;
  await page.goto(`/access-log?${range}`);
  await expect(page.getByRole('table', { name: 'Access log' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Access log' }).locator('tbody tr').first()).toBeVisible();
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
