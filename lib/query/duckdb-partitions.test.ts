import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duckdbDialect } from './dialect';
import { createPartitionLister } from './duckdb-partitions';

let root: string;
const touch = (cls: string, day: string, file = 'a.parquet') => {
  const dir = path.join(root, 'activity', `class=${cls}`, `dt=${day}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, file), '');
};

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'dasboard-partitions-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('createPartitionLister', () => {
  it('lists only existing folders of the scope that hold Parquet files', () => {
    touch('DDL', '2026-11-01');
    touch('DDL', '2026-11-03');
    touch('DML', '2026-11-02');
    touch('DML', '2026-11-03', 'x.parquet.tmp');
    touch('DCL', '2026-11-02');
    const list = createPartitionLister(root);

    const dirs = list({ classes: ['DDL', 'DML', 'TCL'], fromDay: '2026-11-02', toDay: '2026-11-03' });

    expect(dirs.map((d) => path.relative(root, d))).toEqual([
      'activity/class=DDL/dt=2026-11-03',
      'activity/class=DML/dt=2026-11-02',
    ]);
  });

  it('sees new days once the cache interval has passed', () => {
    let now = 0;
    const list = createPartitionLister(root, 2_000, () => now);
    const scope = { classes: ['DDL'], fromDay: '2026-11-01', toDay: '2026-11-30' };
    expect(list(scope)).toEqual([]);
    touch('DDL', '2026-11-05');

    const cached = list(scope);
    now = 2_001;
    const fresh = list(scope);

    expect(cached).toEqual([]);
    expect(fresh).toHaveLength(1);
  });
});

describe('duckdbDialect with a partition lister', () => {
  it('reads the listed folders, or the empty source when none exists', () => {
    touch('DDL', '2026-11-01');
    const d = duckdbDialect({
      storeRoot: root,
      partitions: createPartitionLister(root),
      emptySource: '(EMPTY)',
    });

    const some = d.activitySource({ classes: ['DDL'], fromDay: '2026-11-01', toDay: '2026-11-01' }).text;
    const none = d.activitySource({ classes: ['DML'], fromDay: '2026-11-01', toDay: '2026-11-01' }).text;

    expect(some).toBe(
      `read_parquet(['${root}/activity/class=DDL/dt=2026-11-01/*.parquet'], hive_partitioning = true)`,
    );
    expect(none).toBe('(EMPTY)');
  });
});
