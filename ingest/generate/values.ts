/**
 * Literal values for statement text and bind lists, by column kind. Invented people, products and
 * addresses only; cheap enough to call several times per statement.
 */
import type { ColumnDef } from './catalog';
import type { Rng } from './random';

const FIRST = [
  'Ana',
  'Ben',
  'Chloe',
  'David',
  'Elif',
  'Femi',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kira',
  'Liam',
];
const LAST = [
  'Silva',
  'Meyer',
  'Okafor',
  'Tanaka',
  'Novak',
  'Rossi',
  'Kowalski',
  'Haddad',
  'Larsen',
  'Dubois',
];
const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'NL', 'ES', 'IT', 'SE', 'PL', 'JP', 'BR', 'CA'];
const WORDS = [
  'Blue Widget',
  'Travel Mug',
  'Desk Lamp',
  'USB-C Cable',
  'Notebook A5',
  'Standing Desk',
  'Monitor Arm',
];
const PATHS = ['/', '/checkout', '/cart', '/search', '/account', '/login', '/products/'];
const FLAGS = ['checkout_v2', 'new_search', 'dark_mode', 'invoice_pdf_v3', 'beta_reports'];

export const NUMERIC_KINDS: ReadonlySet<string> = new Set(['id', 'fk', 'qty', 'money']);

function clock(rng: Rng): string {
  const h = rng.int(0, 23);
  const m = rng.int(0, 59);
  const s = rng.int(0, 59);
  return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}`;
}

function codeValue(rng: Rng, column: string, today: string): string {
  if (column === 'sku') return `SKU-${rng.digits(5)}`;
  if (column === 'key') return rng.pick(FLAGS);
  return `INV-${today.slice(0, 4)}-${rng.digits(6)}`;
}

/** A raw value (as a bind parameter would carry it) for a column. `today` is YYYY-MM-DD. */
export function rawValue(rng: Rng, col: ColumnDef, today: string): string {
  switch (col.kind) {
    case 'id':
    case 'fk':
      return String(rng.int(1, col.max));
    case 'qty':
      return String(rng.int(1, 24));
    case 'money':
      return (rng.int(99, 249_999) / 100).toFixed(2);
    case 'email':
      return `${rng.pick(FIRST).toLowerCase()}.${rng.pick(LAST).toLowerCase()}${rng.int(1, 999)}@example.com`;
    case 'name':
      return `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    case 'country':
      return rng.pick(COUNTRIES);
    case 'enum':
      return rng.pick(col.values);
    case 'ts':
      return `${today} ${clock(rng)}`;
    case 'date':
      return today;
    case 'code':
      return codeValue(rng, col.name, today);
    case 'uuid':
      return rng.uuid();
    case 'bool':
      return rng.chance(0.5) ? 'true' : 'false';
    case 'word':
      return rng.pick(WORDS);
    case 'path':
      return rng.pick(PATHS);
  }
}

/** YYYY-MM-DD of a µs timestamp, `days` earlier. */
export function dayText(us: number, days = 0): string {
  return new Date(us / 1000 - days * 86_400_000).toISOString().slice(0, 10);
}
