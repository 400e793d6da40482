// Child process of bench/ingest.ts: ingest one Lambda-sized batch, print peak RSS in MB.
import { readFileSync } from 'node:fs';
import { DasDecryptor } from '../ingest/decrypt';
import { compileFilters } from '../ingest/filters';
import type { InputRecord } from '../ingest/input';
import { LocalKey, type LocalKeyFile } from '../ingest/local-key';
import { processBatch } from '../ingest/pipeline';
import { LocalStore } from '../lib/store/local';

const [file, dir] = process.argv.slice(2);
const input = JSON.parse(readFileSync(file ?? '', 'utf8')) as { records: InputRecord[]; key: LocalKeyFile };
const deps = {
  store: new LocalStore(dir ?? ''),
  decryptor: new DasDecryptor(new LocalKey(input.key)),
  filter: compileFilters([]),
  resourceIdOverride: null,
};
await processBatch(input.records, deps, 'all');
// maxRSS is in kilobytes.
process.stdout.write(`${Math.round(process.resourceUsage().maxRSS / 1024)}\n`);
