import { type DuckDBType, DuckDBTypeId, type DuckDBValue } from '@duckdb/node-api';

/*
 * How Athena presents results, reproduced for the test server: Athena type names in ColumnInfo,
 * every value as text (or absent for NULL), the header-first row list of GetQueryResults and the
 * result CSV it writes to the output location.
 */

export interface AthenaColumn {
  Name: string;
  Label: string;
  Type: string;
  Precision: number;
  Scale: number;
  Nullable: 'UNKNOWN';
  CaseSensitive: boolean;
  CatalogName: 'hive';
  SchemaName: '';
  TableName: '';
}

/** A rendered result: Athena column metadata and each cell as Athena's text, null for NULL. */
export interface RenderedResult {
  columns: AthenaColumn[];
  rows: (string | null)[][];
}

const TYPE_NAMES: Partial<Record<DuckDBTypeId, [type: string, precision: number]>> = {
  [DuckDBTypeId.BOOLEAN]: ['boolean', 0],
  [DuckDBTypeId.TINYINT]: ['tinyint', 3],
  [DuckDBTypeId.SMALLINT]: ['smallint', 5],
  [DuckDBTypeId.INTEGER]: ['integer', 10],
  [DuckDBTypeId.BIGINT]: ['bigint', 19],
  [DuckDBTypeId.UTINYINT]: ['smallint', 5],
  [DuckDBTypeId.USMALLINT]: ['integer', 10],
  [DuckDBTypeId.UINTEGER]: ['bigint', 19],
  [DuckDBTypeId.UBIGINT]: ['bigint', 19],
  [DuckDBTypeId.HUGEINT]: ['bigint', 19],
  [DuckDBTypeId.FLOAT]: ['real', 24],
  [DuckDBTypeId.DOUBLE]: ['double', 53],
  [DuckDBTypeId.DECIMAL]: ['decimal', 38],
  [DuckDBTypeId.VARCHAR]: ['varchar', 2147483647],
  [DuckDBTypeId.DATE]: ['date', 0],
  [DuckDBTypeId.TIMESTAMP]: ['timestamp', 6],
  [DuckDBTypeId.TIMESTAMP_S]: ['timestamp', 0],
  [DuckDBTypeId.TIMESTAMP_MS]: ['timestamp', 3],
  [DuckDBTypeId.TIMESTAMP_TZ]: ['timestamp with time zone', 6],
  [DuckDBTypeId.LIST]: ['array', 0],
  [DuckDBTypeId.ARRAY]: ['array', 0],
  [DuckDBTypeId.MAP]: ['map', 0],
  [DuckDBTypeId.STRUCT]: ['row', 0],
  [DuckDBTypeId.BLOB]: ['varbinary', 0],
};

export function athenaColumns(names: readonly string[], types: readonly DuckDBType[]): AthenaColumn[] {
  return names.map((name, i) => {
    const [type, precision] = TYPE_NAMES[types[i]?.typeId ?? DuckDBTypeId.VARCHAR] ?? ['varchar', 2147483647];
    return {
      Name: name,
      Label: name,
      Type: type,
      Precision: precision,
      Scale: 0,
      Nullable: 'UNKNOWN',
      CaseSensitive: type === 'varchar',
      CatalogName: 'hive',
      SchemaName: '',
      TableName: '',
    };
  });
}

/** One DuckDB value as Athena's text rendering. */
export function renderValue(value: DuckDBValue, type: DuckDBType | undefined): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (
    typeof value === 'number' &&
    (type?.typeId === DuckDBTypeId.DOUBLE || type?.typeId === DuckDBTypeId.FLOAT)
  ) {
    return javaDouble(value);
  }
  if (type?.typeId === DuckDBTypeId.TIMESTAMP_MS && typeof value === 'object' && 'millis' in value) {
    return typeof value.millis === 'bigint' ? formatMicros(value.millis * 1000n).slice(0, -3) : String(value);
  }
  const isTimestamp = type?.typeId === DuckDBTypeId.TIMESTAMP || type?.typeId === DuckDBTypeId.TIMESTAMP_TZ;
  if (isTimestamp && typeof value === 'object' && 'micros' in value && typeof value.micros === 'bigint') {
    const text = formatMicros(value.micros);
    return type?.typeId === DuckDBTypeId.TIMESTAMP_TZ ? `${text} UTC` : text;
  }
  return String(value);
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` (UTC) for microseconds since the epoch. */
export function formatMicros(micros: bigint): string {
  const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const subMillis = micros - millis * 1000n;
  const iso = new Date(Number(millis)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${subMillis.toString().padStart(3, '0')}`;
}

// Athena (Java) prints doubles as Double.toString does: `2.0`, `1.0E7`, `1.5E-4`.
function javaDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(value);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** A GetQueryResults page: the header row comes first in the row list, as Athena sends it. */
export function resultPage(
  result: RenderedResult,
  offset: number,
  max: number,
): { rows: { Data: { VarCharValue?: string }[] }[]; nextOffset: number | null } {
  const total = result.rows.length + 1;
  const rows = [];
  for (let i = offset; i < Math.min(total, offset + max); i += 1) {
    const cells = i === 0 ? result.columns.map((c) => c.Name) : (result.rows[i - 1] ?? []);
    rows.push({ Data: cells.map((v) => (v === null ? {} : { VarCharValue: v })) });
  }
  return { rows, nextOffset: offset + max < total ? offset + max : null };
}

/** Athena's result CSV: header first, every value double-quoted, NULL as an empty unquoted field. */
export function resultCsv(result: RenderedResult): string {
  const line = (cells: readonly (string | null)[]): string =>
    cells.map((v) => (v === null ? '' : `"${v.replaceAll('"', '""')}"`)).join(',');
  return [result.columns.map((c) => c.Name), ...result.rows].map(line).join('\n').concat('\n');
}
