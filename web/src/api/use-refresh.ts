import { useQueryClient } from '@tanstack/react-query';

/** Reads again every query whose key starts with `queryKey`: after a change made on the page. */
export function useRefresh(queryKey: readonly unknown[]): () => Promise<void> {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey });
}
