'use client';

import Link from 'next/link';
import { useId, useMemo, useState } from 'react';
import { ACTIVITY_CLASSES, type ActivityClass } from '../../lib/audit/schema';
import type { Counts } from '../../lib/client/api';
import { formatTime } from '../ui/format';
import { formatNumber } from '../ui/stat';
import { buildMarks, type ChartMark } from './chart-marks';
import { ChartSegments, layoutSegments, type Segment } from './chart-segments';

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
  const hintId = useId();
  const [focused, setFocused] = useState<Segment | null>(null);
  const buckets = counts.buckets;
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const bw = (W - PAD.left - PAD.right) / Math.max(1, buckets.length);
  const present = ACTIVITY_CLASSES.filter((c) => buckets.some((b) => (b.counts[c] ?? 0) > 0));
  const join = (cls: string) => `${q} class:${cls}`.trim();
  const segments = useMemo(() => {
    const plot = {
      left: PAD.left,
      bottom: H - PAD.bottom,
      height: H - PAD.top - PAD.bottom,
      barWidth: bw,
      max,
    };
    const hrefOf = (m: ChartMark) => hrefFor(`${q} class:${m.cls}`.trim(), m.start, m.end);
    return layoutSegments(buildMarks(counts, to), plot, hrefOf);
  }, [counts, to, q, hrefFor, bw, max]);

  return (
    <figure className="chart">
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG holding links cannot be role=img (axe nested-interactive) nor a fieldset */}
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="group"
        aria-label={`Events over time by class, up to ${formatNumber(max)} per bucket`}
        aria-describedby={hintId}
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} className="axis" />
        <text x={PAD.left - 4} y={PAD.top + 8} className="tick" textAnchor="end">
          {formatNumber(max)}
        </text>
        <text x={PAD.left - 4} y={H - PAD.bottom} className="tick" textAnchor="end">
          0
        </text>
        <ChartSegments
          segments={segments}
          plotTop={PAD.top}
          plotBottom={H - PAD.bottom}
          onFocusChange={setFocused}
        />
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
      <p id={hintId} className="sr-only">
        Arrow keys move between segments, Home and End go to the first and last, Enter or Space opens the
        segment's events in the explorer.
      </p>
      {/* The focused or hovered segment's name, for sighted users (the bars are thin). */}
      <p className="chart-readout muted" aria-hidden="true" data-testid="chart-readout">
        {focused === null ? '\u00a0' : focused.label}
      </p>
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
