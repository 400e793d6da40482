import 'server-only';
import { env } from '../env';
import { createConfigSource } from './load';
import type { DasboardConfig } from './schema';

const readConfig = createConfigSource(env.DASBOARD_CONFIG);

/** The server's config (DASBOARD_CONFIG, or the defaults), re-read when the file changes. */
export function getConfig(): DasboardConfig {
  return readConfig();
}
