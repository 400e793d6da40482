#!/usr/bin/env node
// The `dasboard` command. The code is TypeScript; tsx compiles it on the fly (no build step for the CLI).
import { register as registerHook } from 'node:module';
import { register } from 'tsx/esm/api';

registerHook('./server-only-hook.mjs', import.meta.url);
register();
const { main } = await import('../lib/cli/main.ts');
await main(process.argv);
