'use client';

import { COLUMNS } from './columns';

/** Which columns the table shows (kept in the URL as `cols`). */
export function ColumnChooser({
  visible,
  onChange,
}: {
  visible: readonly string[];
  onChange: (ids: readonly string[]) => void;
}) {
  const toggle = (id: string) => {
    const next = visible.includes(id) ? visible.filter((v) => v !== id) : [...visible, id];
    if (next.length === 0) return;
    onChange(COLUMNS.map((c) => c.id ?? '').filter((c) => next.includes(c)));
  };
  return (
    <details className="menu">
      <summary className="btn">Columns</summary>
      <fieldset className="menu-panel">
        <legend className="sr-only">Visible columns</legend>
        {COLUMNS.map((c) => (
          <label key={c.id} className="menu-item">
            <input
              type="checkbox"
              checked={visible.includes(c.id ?? '')}
              onChange={() => toggle(c.id ?? '')}
            />
            {typeof c.header === 'string' ? c.header : c.id}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
