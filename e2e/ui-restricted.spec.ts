import { expect as baseExpect, type Locator, type Page, test } from '@playwright/test';
import { ACTIVITY_CLASSES } from '../lib/audit/schema';
import { DEFAULT_ROLES } from '../lib/config/schema';
import {
  apiJson,
  type EventRow,
  expectNoSeriousA11y,
  field,
  findSession,
  q,
  RANGE,
  screenshot,
  sessionPath,
  signInAs,
} from './ui-helpers';

/**
 * Need-to-know in the UI: a restricted role never sees a class outside its grant on any page —
 * no row, badge, chart segment, facet, completion or label names one — and cannot export.
 */

const expect = baseExpect.configure({ timeout: 15_000 });
const RESTRICTED = ['security-lead', 'app-team'] as const;

function grantedClasses(role: string): string[] {
  const classes = DEFAULT_ROLES[role]?.classes;
  if (classes === undefined || classes === '*') throw new Error(`${role} is not a restricted default role`);
  return [...classes];
}

async function expectNoForbidden(scope: Locator, forbidden: readonly string[], where: string): Promise<void> {
  const selector = forbidden.map((c) => `[data-class="${c}"]`).join(', ');
  await expect(scope.locator(selector), `${where}: elements of a forbidden class`).toHaveCount(0);
  const words = new RegExp(`\\b(${forbidden.join('|')})\\b`);
  await expect(scope, `${where}: a forbidden class named`).not.toContainText(words);
}

/** Waits until the page's reads have answered (no skeletons, no pending requests). */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await expect(page.locator('main [role="status"] .skeleton-line')).toHaveCount(0);
}

for (const role of RESTRICTED) {
  test(`${role} never sees a class outside its grant, on any page`, async ({ page, browser }) => {
    const granted = grantedClasses(role);
    const forbidden: string[] = ACTIVITY_CLASSES.filter((c) => !granted.includes(c));
    // A session that mixes granted and forbidden classes, found with admin's view of the store.
    const admin = await browser.newPage();
    await signInAs(admin, 'admin');
    const mixed = (events: readonly EventRow[]) =>
      events.some((e) => forbidden.includes(e.class)) &&
      events.some((e) => granted.includes(e.class) && e.class !== 'CONNECT' && e.class !== 'DISCONNECT');
    const session = await findSession(admin, role === 'app-team' ? 'class:DML db:app' : 'class:DDL', mixed);
    await admin.close();

    await signInAs(page, role);
    const main = page.locator('main');
    const pages = [
      `/?${RANGE}`,
      `/activity?${RANGE}`,
      `/activity?${RANGE}&${q(`class:${forbidden[0]}`)}`,
      `/ddl?${RANGE}`,
      sessionPath(session),
    ];
    for (const path of pages) {
      await page.goto(path);
      await settle(page);
      await expectNoForbidden(main, forbidden, path);
    }
    // The forbidden search answered with an error, not rows; the session shows the granted part only.
    const own = field<EventRow[]>(
      await apiJson(
        page,
        `/api/sessions?sessionId=${encodeURIComponent(session.id)}&resourceId=${encodeURIComponent(session.resource)}&${RANGE}`,
      ),
      'events',
    );
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThan(session.events.length);
    await expect(page.getByTestId('session-event')).toHaveCount(own.length);
    await screenshot(page, `session-${role}`);

    await page.goto(`/?${RANGE}`);
    await settle(page);
    const marks = await page
      .locator('[data-mark]')
      .evaluateAll((m) => m.map((e) => e.getAttribute('data-class')));
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.filter((c) => !granted.includes(c ?? ''))).toEqual([]);

    await page.goto(`/activity?${RANGE}`);
    await expect(page.locator('tbody tr[data-class]').first()).toBeVisible();
    await settle(page);
    const facet = page.getByRole('region', { name: 'Class' }).locator('.facet-value');
    expect((await facet.allTextContents()).every((c) => granted.includes(c))).toBe(true);
    await expect(page.getByRole('button', { name: 'Export CSV' })).toHaveCount(0);
    // Completions of class: offer the granted classes and nothing else.
    const box = page.getByRole('combobox', { name: 'Search events' });
    await box.fill('class:');
    await expect(page.getByRole('option').first()).toBeVisible();
    expect((await page.getByRole('option').allTextContents()).sort()).toEqual([...granted].sort());
    await box.press('Escape');
    // The drawer of a row (full record view) names nothing forbidden either.
    await page.locator('tbody tr[data-class]').first().focus();
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog');
    await expect(drawer.locator('.drawer-body')).toBeVisible();
    await expectNoForbidden(drawer, forbidden, 'drawer');
    await expectNoSeriousA11y(page);
    await screenshot(page, `explorer-${role}`);
  });
}
