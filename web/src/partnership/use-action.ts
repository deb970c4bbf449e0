import { useMutation } from '@tanstack/react-query';
import { useRefreshPartnership } from './use-partnership';

/** A button's call to the API: busy while it runs, its refusal kept for the page to explain. */
export function useAction<A, R>(partnershipId: string, run: (arg: A) => Promise<R>) {
  const refresh = useRefreshPartnership(partnershipId);
  return useMutation({
    mutationFn: run,
    onSettled: () => refresh(),
  });
}
