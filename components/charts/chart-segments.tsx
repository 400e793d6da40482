'use client';

import { useRouter } from 'next/navigation';
import { type FocusEvent, type KeyboardEvent, type MouseEvent, memo, useRef, useState } from 'react';
import { type ChartMark, isMarkKey, markLabel, moveMark } from './chart-marks';

/**
 * The chart's segments as SVG links with one tab stop (roving tabindex): arrows move between them,
 * Enter or Space opens the segment's events. Plain <a> elements with delegated handlers, not one
 * next/link each, and no <title> or inline style each: a day has up to 2,880 segments (288 buckets
 * of 5 minutes × 10 classes), so every node per segment costs render time.
 */

export interface Segment {
  readonly mark: ChartMark;
  readonly href: string;
  readonly label: string;
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

/** Segments with their boxes in the chart's viewBox units. */
export function layoutSegments(
  marks: readonly ChartMark[],
  plot: { left: number; bottom: number; height: number; barWidth: number; max: number },
  hrefOf: (m: ChartMark) => string,
): Segment[] {
  const scale = plot.height / plot.max;
  return marks.map((mark) => ({
    mark,
    href: hrefOf(mark),
    label: markLabel(mark),
    box: {
      x: plot.left + mark.bucket * plot.barWidth + 0.5,
      y: plot.bottom - (mark.below + mark.count) * scale,
      width: Math.max(1, plot.barWidth - 1),
      height: mark.count * scale,
    },
  }));
}

const isPlainClick = (e: MouseEvent) =>
  e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;

export const ChartSegments = memo(function ChartSegments({
  segments,
  plotTop,
  plotBottom,
  onFocusChange,
}: {
  segments: readonly Segment[];
  plotTop: number;
  plotBottom: number;
  /** the focused or hovered segment, for the readout under the chart (null when none) */
  onFocusChange: (segment: Segment | null) => void;
}) {
  const router = useRouter();
  const group = useRef<SVGGElement>(null);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [hasFocus, setHasFocus] = useState(false);
  const found = segments.findIndex((s) => s.mark.key === activeKey);
  const active = Math.max(found, 0);
  const current = segments[active];
  const segmentOf = (target: EventTarget) => {
    const key = target instanceof Element ? target.closest('a[data-mark]')?.getAttribute('data-mark') : null;
    return segments.findIndex((s) => s.mark.key === key);
  };

  const onKeyDown = (e: KeyboardEvent<SVGGElement>) => {
    const index = segmentOf(e.target);
    const segment = segments[index];
    if (segment === undefined) return;
    if (e.key === 'Enter' || e.key === ' ') {
      // Space would scroll the page, and not every engine activates an SVG link on Enter.
      e.preventDefault();
      router.push(segment.href);
    } else if (isMarkKey(e.key)) {
      e.preventDefault();
      const next =
        segments[
          moveMark(
            segments.map((s) => s.mark),
            index,
            e.key,
          )
        ];
      if (next === undefined) return;
      setActiveKey(next.mark.key);
      group.current?.querySelector<SVGAElement>(`[data-mark="${CSS.escape(next.mark.key)}"]`)?.focus();
    }
  };
  const onClick = (e: MouseEvent<SVGGElement>) => {
    const segment = segments[segmentOf(e.target)];
    if (segment === undefined || !isPlainClick(e)) return;
    // Client-side navigation like next/link; modified clicks keep the browser's own behaviour.
    e.preventDefault();
    router.push(segment.href);
  };
  const onFocus = (e: FocusEvent<SVGGElement>) => {
    const segment = segments[segmentOf(e.target)];
    if (segment === undefined) return;
    setActiveKey(segment.mark.key);
    setHasFocus(true);
    onFocusChange(segment);
  };
  const onBlur = () => {
    setHasFocus(false);
    onFocusChange(null);
  };
  // Hover shows the same readout as focus: one line under the chart instead of a <title> per segment.
  const onMouseOver = (e: MouseEvent<SVGGElement>) => {
    const segment = segments[segmentOf(e.target)];
    if (segment !== undefined) onFocusChange(segment);
  };
  const onMouseLeave = () => onFocusChange(hasFocus ? (current ?? null) : null);

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the handlers serve the links inside (delegation)
    <g
      ref={group}
      onKeyDown={onKeyDown}
      onClick={onClick}
      onFocus={onFocus}
      onBlur={onBlur}
      onMouseOver={onMouseOver}
      onMouseLeave={onMouseLeave}
    >
      {hasFocus && current !== undefined ? (
        <rect
          className="chart-focus-band"
          x={current.box.x - 1}
          y={plotTop}
          width={current.box.width + 2}
          height={plotBottom - plotTop}
        />
      ) : null}
      {segments.map((s, i) => (
        <a
          key={s.mark.key}
          href={s.href}
          tabIndex={i === active ? 0 : -1}
          aria-label={s.label}
          data-mark={s.mark.key}
          data-class={s.mark.cls}
          className="chart-mark"
        >
          <rect {...s.box} />
        </a>
      ))}
      {hasFocus && current !== undefined ? (
        <rect
          className="chart-focus-ring"
          x={current.box.x - 2}
          y={Math.min(current.box.y, plotBottom - 6) - 2}
          width={current.box.width + 4}
          height={Math.max(current.box.height, 6) + 4}
        />
      ) : null}
    </g>
  );
});
