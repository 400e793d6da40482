import { defaultShouldDehydrateQuery, isServer, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './fetch-json';

/**
 * One QueryClient per server request, one per browser tab (TanStack's App Router pattern).
 * Pending queries are dehydrated too, so a server prefetch streams into the client cache.
 */

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // 4xx answers are final (bad filter, no access); only retry what may be transient.
        retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      },
      dehydrate: {
        shouldDehydrateQuery: (query) =>
          defaultShouldDehydrateQuery(query) || query.state.status === 'pending',
      },
    },
    queryCache: new QueryCache({
      onError: (error) => {
        // The session ended (idle, signed out elsewhere): back to the sign-in page.
        if (!isServer && error instanceof ApiError && error.status === 401) {
          window.location.assign(
            `/sign-in?returnTo=${encodeURIComponent(location.pathname + location.search)}`,
          );
        }
      },
    }),
  });
}

let browserClient: QueryClient | undefined;

export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}
