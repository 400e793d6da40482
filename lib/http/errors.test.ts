import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { SearchSyntaxError } from '../audit/search-syntax';
import {
  ForbiddenError,
  NotFoundError,
  QueryCancelledError,
  QueryFailedError,
  QueryTimeoutError,
  toResponse,
  UnauthorizedError,
  UnprocessableError,
  ValidationError,
} from './errors';

describe('toResponse', () => {
  it('maps a ZodError to 400 with the issue paths', async () => {
    const parsed = z.object({ range: z.object({ from: z.string() }) }).safeParse({ range: { from: 1 } });
    const res = toResponse(parsed.error, 'rid-1');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.requestId).toBe('rid-1');
    expect(body.error.details.issues[0].path).toBe('range.from');
  });

  it('maps a SearchSyntaxError to 400 with its position and token', async () => {
    const res = toResponse(new SearchSyntaxError('unknown field "foo"', 11, 'foo'));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'invalid_request',
        message: 'unknown field "foo"',
        details: { position: 11, token: 'foo' },
      },
    });
  });

  it.each([
    [new ValidationError('bad'), 400],
    [new UnauthorizedError(), 401],
    [new ForbiddenError(), 403],
    [new NotFoundError(), 404],
    [new UnprocessableError('no'), 422],
    [new QueryCancelledError(), 499],
    [new QueryFailedError(), 500],
    [new QueryTimeoutError(), 504],
  ])('maps %s to its status', (err, status) => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(toResponse(err).status).toBe(status);
    expect(err.name.endsWith('Error')).toBe(true);
    expect(log).toHaveBeenCalledTimes(status >= 500 ? 1 : 0);
    log.mockRestore();
  });

  it('never echoes an unknown error or an engine cause', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const internal = toResponse(new Error('SELECT secret FROM t'), 'rid-2');
    expect(internal.status).toBe(500);
    expect(await internal.text()).not.toContain('secret');
    const failed = toResponse(new QueryFailedError(undefined, { cause: new Error('LINE 1: SELECT secret') }));
    expect(await failed.text()).not.toContain('secret');
    expect(JSON.stringify(log.mock.calls)).not.toContain('secret');
    log.mockRestore();
  });
});
