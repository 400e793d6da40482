'use client';

import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useDeferredValue, useId, useRef, useState } from 'react';
import { suggestOptions } from '../../lib/client/query-options';
import { applyCompletion, localCompletions, tokenAt, validateSearch } from './search-completion';

/** The search syntax input: completes field names and known values, marks the bad token inline. */
export function SearchBox({
  initial,
  onSubmit,
  label = 'Search',
  placeholder = 'class:DDL user:alice -db:test* "drop table"',
  classes,
}: {
  initial: string;
  onSubmit: (q: string) => void;
  label?: string;
  placeholder?: string;
  /** the classes the caller's grant covers (completions offer no others) */
  classes?: readonly string[];
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(initial);
  const [caret, setCaret] = useState(initial.length);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const token = tokenAt(text, caret);
  const local = localCompletions(token, classes);
  const deferredPrefix = useDeferredValue(token.prefix);
  const remote = useQuery({
    ...suggestOptions(token.field ?? '', deferredPrefix),
    enabled: open && local === null && token.field !== null,
  });
  const options = (local ?? remote.data ?? []).slice(0, 12);
  const problem = validateSearch(text);
  const showList = open && options.length > 0;

  const accept = (value: string) => {
    const next = applyCompletion(text, token, value);
    setText(next.text);
    setCaret(next.caret);
    setActive(0);
    requestAnimationFrame(() => input.current?.setSelectionRange(next.caret, next.caret));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (showList && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
    } else if (showList && (e.key === 'Tab' || e.key === 'Enter') && options[active] !== undefined) {
      e.preventDefault();
      accept(options[active] ?? '');
    } else if (e.key === 'Escape') {
      setOpen(false);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (problem === null) onSubmit(text.trim());
    }
  };

  return (
    <div className="search-box">
      <label htmlFor={`${id}-input`} className="sr-only">
        {label}
      </label>
      <input
        ref={input}
        id={`${id}-input`}
        className="input mono search-input"
        role="combobox"
        aria-expanded={showList}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={showList ? `${id}-opt-${active}` : undefined}
        aria-invalid={problem !== null}
        aria-describedby={problem === null ? `${id}-hint` : `${id}-error`}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setCaret(e.target.selectionStart ?? e.target.value.length);
          setOpen(true);
          setActive(0);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <div
        id={`${id}-list`}
        role="listbox"
        className="suggest-list"
        hidden={!showList}
        aria-label="Suggestions"
      >
        {options.map((o, i) => (
          <div
            key={o}
            tabIndex={-1}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => {
              e.preventDefault();
              accept(o);
            }}
          >
            {o}
          </div>
        ))}
      </div>
      {problem === null ? (
        <span id={`${id}-hint`} className="sr-only">
          field:value terms, comma for OR, minus to negate, other words search the statement text. Enter to
          search.
        </span>
      ) : (
        <div id={`${id}-error`} className="search-error" role="alert">
          {problem.position === null ? null : (
            <code className="search-mirror" aria-hidden="true">
              {text.slice(0, problem.position)}
              <mark>
                {text.slice(problem.position, problem.position + Math.max(1, problem.token.length))}
              </mark>
              {text.slice(problem.position + Math.max(1, problem.token.length))}
            </code>
          )}
          <span>{problem.message}</span>
        </div>
      )}
    </div>
  );
}
