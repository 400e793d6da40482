'use client';

import { type FormEvent, useState } from 'react';
import { PRESET_NAMES, presetRange, type RangePreset, type RangeState } from '../../lib/client/url-state';

/** Presets (1h/24h/7d/30d) and a custom UTC range; emits from/to/range for the URL. */

const toInput = (iso: string) => iso.slice(0, 16);
const fromInput = (v: string) => (v === '' ? null : new Date(`${v}:00Z`).toISOString());

export function TimeRangePicker({
  value,
  onChange,
}: {
  value: RangeState;
  onChange: (patch: { from: string; to: string; range: string }) => void;
}) {
  const [from, setFrom] = useState(toInput(value.from));
  const [to, setTo] = useState(toInput(value.to));
  const [error, setError] = useState<string | null>(null);
  const choose = (preset: RangePreset) => {
    const r = presetRange(preset, Date.now());
    setFrom(toInput(r.from));
    setTo(toInput(r.to));
    onChange({ ...r, range: preset });
  };
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const f = fromInput(from);
    const t = fromInput(to);
    if (f === null || t === null || Date.parse(f) >= Date.parse(t)) {
      setError('Choose a start before the end.');
      return;
    }
    setError(null);
    onChange({ from: f, to: t, range: 'custom' });
  };
  return (
    <form className="range-picker" onSubmit={apply} aria-label="Time range">
      <fieldset className="segmented">
        <legend className="sr-only">Preset</legend>
        {PRESET_NAMES.map((p) => (
          <button
            key={p}
            type="button"
            className="btn"
            aria-pressed={value.range === p}
            onClick={() => choose(p)}
          >
            {p}
          </button>
        ))}
      </fieldset>
      <label className="range-field">
        <span className="sr-only">From (UTC)</span>
        <input
          className="input"
          type="datetime-local"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
      </label>
      <span aria-hidden="true">→</span>
      <label className="range-field">
        <span className="sr-only">To (UTC)</span>
        <input className="input" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <span className="muted">UTC</span>
      <button type="submit" className="btn" aria-pressed={value.range === 'custom'}>
        Apply
      </button>
      {error === null ? null : (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
