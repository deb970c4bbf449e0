import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface PinnedRequest {
  url: string;
  /** The checked address: the connection goes there and nowhere else. */
  address: string;
  family: 4 | 6;
  headers: Record<string, string>;
  body: string;
  /** For the whole request, the response's headers included. */
  timeoutMs: number;
}

/**
 * POSTs to the URL over a connection to the checked address. The request's `lookup` answers that
 * address for the URL's host, so no second DNS lookup happens between the check and the connect
 * (a DNS rebind cannot swap the address); the Host header and TLS (SNI, certificate name) still
 * use the URL's host. No agent: every attempt opens its own connection, so no pooled socket to
 * another address is reused. Redirects are answers, not followed. Resolves with the status as soon
 * as the response's head arrives; the body is discarded.
 */
export function postPinned(req: PinnedRequest): Promise<{ status: number; statusText: string }> {
  const url = new URL(req.url);
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: req.address, family: req.family }]);
    else callback(null, req.address, req.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(url, {
      method: 'POST',
      headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
      lookup,
      agent: false,
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    outgoing.on('error', reject);
    outgoing.on('response', (res) => {
      resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '' });
      // The response body means nothing to us; do not let it hold the connection.
      res.destroy();
    });
    outgoing.end(req.body);
  });
}
