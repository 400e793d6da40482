import type { NextRequest } from 'next/server';
import type { CallOptions } from '../audit/service-context';
import { ValidationError } from './errors';

/**
 * Query-string helpers for the JSON API routes. A repeated parameter is refused (400) instead of
 * silently taking one copy: `q=class:DDL&q=class:DML` must never mean something the caller did not see.
 */
export function readParams(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) {
    if (Object.hasOwn(out, key)) {
      throw new ValidationError('A query parameter was given more than once', { details: { param: key } });
    }
    out[key] = value;
  }
  return out;
}

/** The client's abort signal reaches the engine, so a closed tab cancels its query. */
export function callOptions(request: NextRequest, requestId: string): CallOptions {
  return { signal: request.signal, requestId };
}
