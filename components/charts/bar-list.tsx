import Link from 'next/link';
import { formatNumber } from '../ui/stat';

export interface BarItem {
  readonly label: string;
  readonly value: number;
  readonly failed?: number;
  /** null when the search syntax cannot express the value (an empty one) */
  readonly href: string | null;
}

/** A ranked list with proportional bars; each row opens the explorer filtered to it. */
export function BarList({
  title,
  items,
  empty,
}: {
  title: string;
  items: readonly BarItem[];
  empty: string;
}) {
  const max = Math.max(1, ...items.map((i) => i.value));
  return (
    <section className="card bar-list" aria-label={title}>
      <h2>{title}</h2>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ol>
          {items.map((item) => (
            <li key={item.label}>
              {item.href === null ? (
                <div className="bar-row">
                  <BarBody item={item} max={max} />
                </div>
              ) : (
                <Link href={item.href} className="bar-row" aria-label={barLabel(item)}>
                  <BarBody item={item} max={max} />
                </Link>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function BarBody({ item, max }: { item: BarItem; max: number }) {
  return (
    <>
      <span className="bar" style={{ width: `${(item.value / max) * 100}%` }} aria-hidden="true" />
      <span className="bar-label">{item.label}</span>
      <span className="num">
        {formatNumber(item.value)}
        {item.failed ? <span className="failed"> ({formatNumber(item.failed)} failed)</span> : null}
      </span>
    </>
  );
}

// The spans would read as "alice1,234": give the link a name with the number spelled out.
function barLabel(item: BarItem): string {
  const events = `${formatNumber(item.value)} ${item.value === 1 ? 'event' : 'events'}`;
  return `${item.label}: ${events}${item.failed ? `, ${formatNumber(item.failed)} failed` : ''}`;
}
