import type { z } from 'zod';
import { meResponseSchema } from '../auth/me';

/**
 * Browser-side JSON fetch for the dashboard's API routes: same-origin cookies, the CSRF header on
 * state-changing methods, API errors as ApiError, and every body parsed by a zod schema.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  constructor(status: number, code: string, message: string, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken: Promise<string> | undefined;

/** The session's CSRF token (from GET /api/me, cached until a 401/403 says otherwise). */
export function getCsrfToken(): Promise<string> {
  csrfToken ??= fetchJson('/api/me', meResponseSchema).then((me) => me.csrfToken);
  csrfToken.catch(() => {
    csrfToken = undefined;
  });
  return csrfToken;
}

export async function fetchJson<T>(url: string, schema: z.ZodType<T>, init: RequestInit = {}): Promise<T> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  if (UNSAFE.has(method)) headers.set('x-csrf-token', await getCsrfToken());
  const response = await fetch(url, { ...init, method, headers, credentials: 'same-origin' });
  if (!response.ok) throw await toApiError(response);
  return schema.parse(await response.json());
}

async function toApiError(response: Response): Promise<ApiError> {
  if (response.status === 401 || response.status === 403) csrfToken = undefined;
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not JSON (a proxy error page): keep the status only
  }
  const error = typeof body === 'object' && body !== null ? Reflect.get(body, 'error') : undefined;
  const field = (name: string) => {
    const v = typeof error === 'object' && error !== null ? Reflect.get(error, name) : undefined;
    return typeof v === 'string' ? v : undefined;
  };
  return new ApiError(
    response.status,
    field('code') ?? 'http_error',
    field('message') ?? `Request failed (${response.status})`,
    field('requestId'),
  );
}
