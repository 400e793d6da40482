'use client';

import type { FilterField } from '../../lib/audit/query-model';
import { formatNumber } from '../ui/stat';

export interface FacetItem {
  readonly value: string;
  readonly count: number;
}

/** One facet: values with counts; picking one narrows the search to it. */
export function Facet({
  title,
  field,
  items,
  isLoading,
  onPick,
}: {
  title: string;
  field: FilterField;
  items: readonly FacetItem[];
  isLoading: boolean;
  onPick: (field: FilterField, value: string) => void;
}) {
  return (
    <section className="facet" aria-label={title} aria-busy={isLoading}>
      <h3>{title}</h3>
      {items.length === 0 ? (
        <p className="muted">{isLoading ? 'Loading…' : 'None in range'}</p>
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item.value}>
              {item.value === '' ? (
                // The search syntax has no empty value (`db:""` is an error): shown, not offered.
                <span className="facet-item facet-empty">
                  <span className="facet-value">(empty)</span>
                  <span className="num muted">{formatNumber(item.count)}</span>
                </span>
              ) : (
                <button type="button" className="facet-item" onClick={() => onPick(field, item.value)}>
                  <span className="facet-value">{item.value}</span>
                  <span className="num muted">{formatNumber(item.count)}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
