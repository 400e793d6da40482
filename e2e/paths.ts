import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the e2e run keeps its generated state (gitignored `.tmp/`): store, config, test users. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const E2E_DIR = path.join(root, '.tmp', 'e2e');
export const E2E_STORE = path.join(E2E_DIR, 'store');
export const E2E_CONFIG = path.join(E2E_DIR, 'dasboard.config.json');
export const E2E_USERS = path.join(E2E_DIR, 'users.json');
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;

/** Debian Chromium, headless, kept off the closed network (Playwright config and the UI bench). */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
