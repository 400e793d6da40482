'use client';

import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import type { EventSummary } from '../../lib/client/api';
import { COLUMNS, gridTemplate, SORTABLE } from './columns';

const ROW_HEIGHT = 30;

export interface TablePaging {
  readonly hasMore: boolean;
  readonly isLoadingMore: boolean;
  readonly loadMore: () => void;
}

/** Virtualised event list: only visible rows are in the DOM; scrolling near the end loads the next page. */
export function ActivityTable({
  rows,
  paging,
  visible,
  sort,
  onSort,
  onOpen,
  total,
}: {
  rows: EventSummary[];
  paging: TablePaging;
  visible: readonly string[];
  sort: string;
  onSort: (sort: string) => void;
  onOpen: (row: EventSummary) => void;
  /** rows matching the search (not only the loaded ones); undefined while it is being counted */
  total: number | undefined;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const table = useReactTable({
    data: rows,
    columns: COLUMNS,
    state: { columnVisibility: Object.fromEntries(COLUMNS.map((c) => [c.id, visible.includes(c.id ?? '')])) },
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => r.event_id,
  });
  const model = table.getRowModel().rows;
  const virtual = useVirtualizer({
    count: model.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
  });
  const items = virtual.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const { hasMore, isLoadingMore, loadMore } = paging;
  useEffect(() => {
    if (hasMore && !isLoadingMore && lastIndex >= model.length - 40) loadMore();
  }, [hasMore, isLoadingMore, lastIndex, model.length, loadMore]);

  // ARIA: the header row counts, and -1 means "total unknown" (still counting).
  const rowCount = total === undefined ? -1 : Math.max(total, model.length) + 1;
  const [sortColumn, sortDirection] = sort.split(':');
  const template = gridTemplate(table.getVisibleLeafColumns().map((c) => c.id));
  const focusRow = (index: number) => {
    if (index < 0 || index >= model.length) return;
    virtual.scrollToIndex(index);
    requestAnimationFrame(() =>
      scroller.current?.querySelector<HTMLElement>(`[data-index="${index}"]`)?.focus({ preventScroll: true }),
    );
  };
  const onRowKey = (e: KeyboardEvent<HTMLDivElement>, index: number, row: EventSummary) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(row);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      focusRow(index + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      focusRow(e.key === 'Home' ? 0 : model.length - 1);
    }
  };

  return (
    <div className="grid-wrap">
      <div className="grid-scroll" ref={scroller}>
        <table className="grid-table" aria-label="Events" aria-rowcount={rowCount}>
          <thead className="grid-head">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} className="grid-row" style={{ gridTemplateColumns: template }}>
                {group.headers.map((h) => {
                  const current = sortColumn === h.column.id;
                  const label = flexRender(h.column.columnDef.header, h.getContext());
                  return (
                    <th
                      scope="col"
                      key={h.id}
                      className="grid-cell"
                      aria-sort={current ? (sortDirection === 'asc' ? 'ascending' : 'descending') : undefined}
                    >
                      {SORTABLE.includes(h.column.id) ? (
                        <button
                          type="button"
                          className="sort-button"
                          onClick={() =>
                            onSort(`${h.column.id}:${current && sortDirection === 'desc' ? 'asc' : 'desc'}`)
                          }
                        >
                          {label}
                          <span aria-hidden="true">
                            {current ? (sortDirection === 'asc' ? ' ▲' : ' ▼') : ''}
                          </span>
                        </button>
                      ) : (
                        label
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="grid-body" style={{ height: virtual.getTotalSize() }}>
            {items.map((item) => {
              const row = model[item.index];
              if (row === undefined) return null;
              return (
                <tr
                  key={row.id}
                  data-index={item.index}
                  data-class={row.original.class}
                  data-event-id={row.original.event_id}
                  aria-rowindex={item.index + 2}
                  tabIndex={0}
                  className="grid-row grid-data-row"
                  style={{
                    gridTemplateColumns: template,
                    transform: `translateY(${item.start}px)`,
                    height: ROW_HEIGHT,
                  }}
                  onClick={() => onOpen(row.original)}
                  onKeyDown={(e) => onRowKey(e, item.index, row.original)}
                >
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className="grid-cell">
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="grid-foot" aria-live="polite" data-testid="grid-foot">
        {isLoadingMore ? 'Loading more…' : footText(model.length, total, hasMore)}
      </div>
    </div>
  );
}

function footText(loaded: number, total: number | undefined, hasMore: boolean): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const more = hasMore ? ', scroll for more' : '';
  if (total === undefined) return `${n(loaded)} events loaded (total still being counted)${more}`;
  return `${n(loaded)} of ${n(Math.max(total, loaded))} matching events loaded${more}`;
}
