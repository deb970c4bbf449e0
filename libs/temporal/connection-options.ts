import { readFileSync } from 'node:fs';
import type { ConfigValues } from '../config';

export interface TemporalConnectionSettings {
  address: string;
  tls?: {
    serverNameOverride?: string;
    serverRootCACertificate?: Buffer;
    clientCertPair?: { crt: Buffer; key: Buffer };
  };
  apiKey?: string;
}

/**
 * Connection settings for both the client (API) and the worker's native connection: the dev server
 * by default; an external cluster or Temporal Cloud with TLS (mTLS or API key) from config.
 */
export function temporalConnectionSettings(config: ConfigValues): TemporalConnectionSettings {
  const useTls =
    config.TEMPORAL_TLS ?? Boolean(config.TEMPORAL_TLS_CERT_PATH || config.TEMPORAL_API_KEY);
  const settings: TemporalConnectionSettings = { address: config.TEMPORAL_ADDRESS };
  if (useTls) {
    settings.tls = {
      serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME,
      serverRootCACertificate: config.TEMPORAL_TLS_CA_PATH
        ? readFileSync(config.TEMPORAL_TLS_CA_PATH)
        : undefined,
      clientCertPair:
        config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH
          ? {
              crt: readFileSync(config.TEMPORAL_TLS_CERT_PATH),
              key: readFileSync(config.TEMPORAL_TLS_KEY_PATH),
            }
          : undefined,
    };
  }
  if (config.TEMPORAL_API_KEY) settings.apiKey = config.TEMPORAL_API_KEY;
  return settings;
}
