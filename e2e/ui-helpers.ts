import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { randomIp, userFor } from './api/helpers';

/** Helpers of the UI spec: sign-in through the API in the page's context, axe, screenshots. */

export const FROM = '2026-01-10T00:00:00.000Z';
export const TO = '2026-01-12T00:00:00.000Z';
export const RANGE = `from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`;

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
