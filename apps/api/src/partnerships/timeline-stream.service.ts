import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '@libs/config';
import { PartnershipsRepository } from '@libs/db';

type Listener = (sequence: number) => void;

/**
 * One LISTEN connection per API process: the worker's activities `pg_notify` after each
 * committed timeline write, and this fans the news out to the open event streams. No polling.
 */
@Injectable()
export class TimelineStreamService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TimelineStreamService.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private client?: Client;
  private closing = false;

  constructor(
    private readonly config: AppConfig,
    private readonly partnerships: PartnershipsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.client?.end().catch(() => undefined);
  }

  subscribe(partnershipId: string, listener: Listener): () => void {
    const set = this.listeners.get(partnershipId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(partnershipId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(partnershipId);
    };
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL });
    client.on('notification', (msg) => {
      try {
        const { partnershipId, sequence } = JSON.parse(msg.payload ?? '{}') as {
          partnershipId: string;
          sequence: number;
        };
        for (const listener of this.listeners.get(partnershipId) ?? []) listener(sequence);
      } catch {
        // a malformed payload is not ours
      }
    });
    client.on('error', (err) => {
      this.logger.warn(`timeline listener lost its connection: ${err.message}; reconnecting`);
      void this.reconnect();
    });
    await client.connect();
    await this.partnerships.listenToTimeline(client);
    this.client = client;
  }

  private async reconnect(): Promise<void> {
    if (this.closing) return;
    await this.client?.end().catch(() => undefined);
    for (let attempt = 1; !this.closing; attempt++) {
      try {
        await this.connect();
        // Wake every stream so it catches up on anything missed while disconnected.
        for (const [, set] of this.listeners) for (const l of set) l(Number.MAX_SAFE_INTEGER);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * attempt)));
      }
    }
  }
}
