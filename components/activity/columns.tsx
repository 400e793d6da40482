import type { ColumnDef } from '@tanstack/react-table';
import { SORT_COLUMNS } from '../../lib/audit/query-model';
import type { EventSummary } from '../../lib/client/api';
import { formatTime } from '../ui/format';
import { ClassBadge } from './class-badge';

/** Explorer columns; `size` is the grid track in px (0 = take the remaining space). */

const text = (v: string | null) => v ?? '—';

export const COLUMNS: ColumnDef<EventSummary>[] = [
  {
    id: 'event_time',
    header: 'Time (UTC)',
    size: 190,
    cell: ({ row }) => formatTime(row.original.event_time),
  },
  { id: 'class', header: 'Class', size: 130, cell: ({ row }) => <ClassBadge value={row.original.class} /> },
  { id: 'engine', header: 'Engine', size: 90, cell: ({ row }) => row.original.engine },
  { id: 'resource_id', header: 'Cluster', size: 160, cell: ({ row }) => row.original.resource_id },
  { id: 'database_name', header: 'Database', size: 110, cell: ({ row }) => row.original.database_name },
  { id: 'db_user', header: 'User', size: 110, cell: ({ row }) => row.original.db_user },
  { id: 'object_name', header: 'Object', size: 150, cell: ({ row }) => text(row.original.object_name) },
  { id: 'command', header: 'Command', size: 110, cell: ({ row }) => row.original.command },
  {
    id: 'text_preview',
    header: 'Statement',
    size: 0,
    cell: ({ row }) => <span className="mono">{text(row.original.text_preview)}</span>,
  },
  { id: 'remote_host', header: 'Host', size: 120, cell: ({ row }) => text(row.original.remote_host) },
  {
    id: 'client_application',
    header: 'App',
    size: 120,
    cell: ({ row }) => text(row.original.client_application),
  },
  { id: 'session_id', header: 'Session', size: 110, cell: ({ row }) => text(row.original.session_id) },
  { id: 'row_count', header: 'Rows', size: 70, cell: ({ row }) => row.original.row_count ?? '—' },
  {
    id: 'failed',
    header: 'Result',
    size: 70,
    cell: ({ row }) => (row.original.failed ? <span className="failed">failed</span> : 'ok'),
  },
];

export const COLUMN_IDS: readonly string[] = COLUMNS.map((c) => c.id ?? '');
export const DEFAULT_COLUMNS: readonly string[] = [
  'event_time',
  'class',
  'db_user',
  'database_name',
  'object_name',
  'command',
  'text_preview',
  'failed',
];
export const SORTABLE: readonly string[] = SORT_COLUMNS;

export function gridTemplate(ids: readonly string[]): string {
  return ids
    .map((id) => {
      const size = COLUMNS.find((c) => c.id === id)?.size ?? 100;
      return size === 0 ? 'minmax(200px, 1fr)' : `${size}px`;
    })
    .join(' ');
}
