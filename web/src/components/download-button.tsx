import { useMutation } from '@tanstack/react-query';
import { call } from '../api/client';
import { ProblemAlert } from './problem';

/**
 * A download of an export: fetched with the signed-in user's token (a plain link would carry
 * none), then saved as `filename`. `fetch` is the typed API call, asked to parse the answer as a
 * blob (`parseAs: 'blob'`).
 */
export function DownloadButton({
  label,
  filename,
  fetch,
}: {
  label: string;
  filename: string;
  fetch: () => Promise<{ data?: unknown; error?: unknown; response: Response }>;
}) {
  const download = useMutation({
    mutationFn: async () => {
      const blob = await call(fetch);
      const url = URL.createObjectURL(blob as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.click();
      // Long enough for the browser to have read it.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  });
  return (
    <>
      <button
        type="button"
        className="button-secondary"
        disabled={download.isPending}
        onClick={() => download.mutate()}
      >
        {label}
      </button>
      <ProblemAlert error={download.error} />
    </>
  );
}
