import { useEffect, useRef, useState } from 'react';
import type { components } from '../api/client';
import { accessToken, recoverFrom401 } from '../auth/session';

export type TimelineEntry = components['schemas']['TimelineEntryView'];

/** `closed`: the API refused the stream for good (no longer a member, partnership gone). */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * The partnership's timeline, live. The server's event stream replays every event after the
 * last one seen and then sends new ones as they are recorded. A browser EventSource cannot send an
 * Authorization header, so this reads the stream with fetch: the access token stays in a header,
 * never in a URL. After a drop it reconnects from the last sequence it has (Last-Event-ID). The
 * server ends a stream when the token stops authenticating (expired): the reconnect renews it.
 */
export function useTimeline(
  partnershipId: string,
  onEvent: (entry: TimelineEntry) => void,
): { entries: TimelineEntry[]; state: StreamState } {
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const [state, setState] = useState<StreamState>('connecting');
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;

  useEffect(() => {
    const controller = new AbortController();
    let last = 0;
    let attempt = 0;
    let retryAfterMs = 0;
    setEntries([]);

    const connect = async (): Promise<void> => {
      while (!controller.signal.aborted) {
        try {
          const token = await accessToken();
          const response = await fetch(
            `/api/v1/partnerships/${encodeURIComponent(partnershipId)}/events/stream`,
            {
              headers: {
                accept: 'text/event-stream',
                ...(token ? { authorization: `Bearer ${token}` } : {}),
                ...(last > 0 ? { 'last-event-id': String(last) } : {}),
              },
              signal: controller.signal,
            },
          );
          // A refused token (revoked, or expired while the tab slept): renew before trying again,
          // else every reconnect would present the same dead token.
          if (response.status === 401) await recoverFrom401();
          // 403/404 will not change by asking again: stop, the page shows the refusal.
          if (response.status === 403 || response.status === 404) {
            setState('closed');
            return;
          }
          // Too many streams open (429: this user's, 503: the server's): wait as long as it says.
          if (response.status === 429 || response.status === 503) {
            const seconds = Number(response.headers.get('retry-after'));
            if (Number.isFinite(seconds) && seconds > 0) retryAfterMs = seconds * 1000;
          }
          if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
          setState('live');
          attempt = 0;
          await readEvents(response.body, controller.signal, (entry) => {
            if (entry.sequence <= last) return;
            last = entry.sequence;
            setEntries((current) => [...current, entry]);
            onEventRef.current(entry);
          });
        } catch {
          if (controller.signal.aborted) return;
        }
        setState('reconnecting');
        attempt += 1;
        const backoffMs = Math.min(15_000, 1_000 * 2 ** Math.min(attempt, 4));
        const waitMs = Math.max(backoffMs, retryAfterMs);
        retryAfterMs = 0;
        await new Promise((r) => setTimeout(r, waitMs));
      }
    };
    void connect();
    return () => controller.abort();
  }, [partnershipId]);

  return { entries, state };
}

/** Parses text/event-stream: blocks separated by a blank line, `data:` lines joined. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  emit: (entry: TimelineEntry) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const cancel = (): void => void reader.cancel().catch(() => undefined);
  // Removed when this connection ends: a long-lived page reconnects many times on one signal.
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.search(/\r?\n\r?\n/)) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        const data = block
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n');
        if (!data) continue;
        try {
          emit(JSON.parse(data) as TimelineEntry);
        } catch {
          // a malformed block: skip it, the next one is independent
        }
      }
    }
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
