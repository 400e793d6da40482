import { ZodError } from 'zod';

/**
 * One error hierarchy for the API and the query layer. `message` is safe to show to the caller;
 * anything internal (engine text, SQL, AWS errors) travels in `cause` and is never echoed.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  /** Public, structured detail for the response body (e.g. a syntax error position). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: string,
    status: number,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = options?.details;
  }
}

type SubOptions = { cause?: unknown; details?: Record<string, unknown> };

export class ValidationError extends AppError {
  constructor(message: string, options?: SubOptions) {
    super('invalid_request', 400, message, options);
    this.name = 'ValidationError';
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required', options?: SubOptions) {
    super('unauthorized', 401, message, options);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Not allowed', options?: SubOptions) {
    super('forbidden', 403, message, options);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found', options?: SubOptions) {
    super('not_found', 404, message, options);
    this.name = 'NotFoundError';
  }
}

export class UnprocessableError extends AppError {
  constructor(message: string, options?: SubOptions) {
    super('unprocessable', 422, message, options);
    this.name = 'UnprocessableError';
  }
}

export class QueryFailedError extends AppError {
  constructor(message = 'The query failed', options?: SubOptions) {
    super('query_failed', 500, message, options);
    this.name = 'QueryFailedError';
  }
}

/** 499: the client went away (nginx's "client closed request"); the engine cancelled the query. */
export class QueryCancelledError extends AppError {
  constructor(message = 'The query was cancelled', options?: SubOptions) {
    super('query_cancelled', 499, message, options);
    this.name = 'QueryCancelledError';
  }
}

export class QueryTimeoutError extends AppError {
  constructor(message = 'The query timed out', options?: SubOptions) {
    super('query_timeout', 504, message, options);
    this.name = 'QueryTimeoutError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string; requestId?: string; details?: Record<string, unknown> };
}

function json(status: number, body: ErrorBody): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/** Maps any thrown value to a JSON response; unknown errors become a generic 500 (logged, not echoed). */
export function toResponse(err: unknown, requestId?: string): Response {
  const rid = requestId === undefined ? {} : { requestId };
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return json(400, {
      error: { code: 'invalid_request', message: 'Invalid request', ...rid, details: { issues } },
    });
  }
  if (err instanceof AppError) {
    if (err.status >= 500) logInternal(err, requestId);
    const details = err.details === undefined ? {} : { details: { ...err.details } };
    return json(err.status, { error: { code: err.code, message: err.message, ...rid, ...details } });
  }
  logInternal(err, requestId);
  return json(500, { error: { code: 'internal', message: 'Internal error', ...rid } });
}

// Names and codes only: engine messages can quote query text, which stays out of logs and responses.
function logInternal(err: unknown, requestId: string | undefined): void {
  const name = err instanceof Error ? err.name : typeof err;
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.name : undefined;
  console.error(JSON.stringify({ level: 'error', msg: 'request failed', requestId, name, cause }));
}
