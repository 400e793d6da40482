import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, type ListParams, type RangeParams, type SessionParams, type TopDimension } from './api';

/** One queryOptions per read; every key holds every filter value the read depends on. */

export const PAGE_SIZE = 500;

export const activityKeys = {
  all: ['activity'] as const,
  list: (p: ListParams) => [...activityKeys.all, 'list', p] as const,
  detail: (id: string, at: string | undefined) => [...activityKeys.all, 'detail', id, at ?? null] as const,
};

export const statsKeys = {
  all: ['stats'] as const,
  read: (read: string, p: RangeParams, extra: Record<string, string> = {}) =>
    [...statsKeys.all, read, p, extra] as const,
};

export function activityListOptions(p: ListParams) {
  return infiniteQueryOptions({
    queryKey: activityKeys.list(p),
    queryFn: ({ pageParam, signal }) => api.listEvents(p, pageParam)(signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function eventDetailOptions(id: string, at: string | undefined) {
  return queryOptions({
    queryKey: activityKeys.detail(id, at),
    queryFn: ({ signal }) => api.getEvent(id, at)(signal),
  });
}

export function overviewOptions(p: RangeParams) {
  return queryOptions({
    queryKey: statsKeys.read('overview', p),
    queryFn: ({ signal }) => api.overview(p)(signal),
  });
}

export function countsOptions(p: RangeParams) {
  return queryOptions({
    queryKey: statsKeys.read('counts', p),
    queryFn: ({ signal }) => api.counts(p)(signal),
  });
}

export function topOptions(p: RangeParams, dimension: TopDimension) {
  return queryOptions({
    queryKey: statsKeys.read('top', p, { dimension }),
    queryFn: ({ signal }) => api.top(p, dimension)(signal),
  });
}

export function authFailuresOptions(p: RangeParams) {
  return queryOptions({
    queryKey: statsKeys.read('auth-failures', p),
    queryFn: ({ signal }) => api.authFailures(p)(signal),
  });
}

export function ddlTimelineOptions(p: RangeParams) {
  return infiniteQueryOptions({
    queryKey: ['ddl-timeline', p] as const,
    queryFn: ({ pageParam, signal }) => api.ddlTimeline(p, pageParam)(signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function sessionOptions(p: SessionParams) {
  return queryOptions({
    queryKey: ['session', p] as const,
    queryFn: ({ signal }) => api.session(p)(signal),
    enabled: p.session !== '',
  });
}

export function accessLogOptions(p: { from: string; to: string }) {
  return queryOptions({
    queryKey: ['access-log', p] as const,
    queryFn: ({ signal }) => api.accessLog(p)(signal),
  });
}

export function suggestOptions(field: string, prefix: string) {
  return queryOptions({
    queryKey: ['suggest', field, prefix] as const,
    queryFn: ({ signal }) => api.suggest(field, prefix)(signal),
    staleTime: 60_000,
    retry: false,
  });
}
