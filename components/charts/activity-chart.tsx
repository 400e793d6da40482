import Link from 'next/link';
import { ACTIVITY_CLASSES, type ActivityClass } from '../../lib/audit/schema';
import type { Counts } from '../../lib/client/api';
import { formatTime } from '../ui/format';
import { formatNumber } from '../ui/stat';

/** Events over time stacked by class, plain SVG. Every segment links to the explorer for its class and bucket. */

const W = 800;
const H = 160;
const PAD = { top: 8, right: 8, bottom: 18, left: 40 };
export const classColor = (c: ActivityClass) => `var(--class-${c.toLowerCase().replace('_', '-')})`;

export function ActivityChart({
  counts,
  q,
  to,
  hrefFor,
}: {
  counts: Counts;
  q: string;
  to: string;
  hrefFor: (q: string, from: string, to: string) => string;
}) {
  const buckets = counts.buckets;
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const bw = innerW / Math.max(1, buckets.length);
  const present = ACTIVITY_CLASSES.filter((c) => buckets.some((b) => (b.counts[c] ?? 0) > 0));
  const join = (cls: string) => `${q} class:${cls}`.trim();
  return (
    <figure className="chart">
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG holding links cannot be role=img (axe nested-interactive) nor a fieldset */}
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="group"
        aria-label={`Events over time by class, up to ${max} per bucket`}
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} className="axis" />
        <text x={PAD.left - 4} y={PAD.top + 8} className="tick" textAnchor="end">
          {formatNumber(max)}
        </text>
        <text x={PAD.left - 4} y={H - PAD.bottom} className="tick" textAnchor="end">
          0
        </text>
        {buckets.map((b, i) => {
          const end = buckets[i + 1]?.start ?? to;
          let y = H - PAD.bottom;
          return ACTIVITY_CLASSES.map((c) => {
            const n = b.counts[c] ?? 0;
            if (n === 0) return null;
            const h = (n / max) * innerH;
            y -= h;
            return (
              <Link
                key={`${b.start}-${c}`}
                href={hrefFor(join(c), b.start, end)}
                tabIndex={-1}
                aria-label={`${c} ${n}`}
              >
                <rect
                  x={PAD.left + i * bw + 0.5}
                  y={y}
                  width={Math.max(1, bw - 1)}
                  height={h}
                  style={{ fill: classColor(c) }}
                >
                  <title>{`${formatTime(b.start)} · ${c}: ${formatNumber(n)}`}</title>
                </rect>
              </Link>
            );
          });
        })}
        {[0, Math.floor(buckets.length / 2), buckets.length - 1].map((i, k) => {
          const b = buckets[i];
          if (b === undefined) return null;
          return (
            <text
              key={b.start}
              x={PAD.left + i * bw}
              y={H - 4}
              className="tick"
              textAnchor={k === 0 ? 'start' : k === 2 ? 'end' : 'middle'}
            >
              {formatTime(b.start).slice(0, 16)}
            </text>
          );
        })}
      </svg>
      <figcaption className="legend">
        {present.map((c) => (
          <Link key={c} href={hrefFor(join(c), buckets[0]?.start ?? to, to)} className="legend-item">
            <span className="swatch" style={{ background: classColor(c) }} aria-hidden="true" />
            {c}
          </Link>
        ))}
      </figcaption>
    </figure>
  );
}
