import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Client } from 'pg';
import { AppConfig } from '@libs/config';
import { PartnershipsRepository } from '@libs/db';
import { DomainError, ErrorCode } from '@libs/domain';
import type { AuthUser } from '@libs/domain';
import { AuthService } from '../auth/auth.service';
import { PartnershipAccessService } from './partnership-access';
import { TimelineEntryView } from './partnership.dto';
import { PartnershipReadService } from './partnership-read.service';

/** Events per read, for a stream catching up and for a partnership's feed alike. */
export const STREAM_BATCH = 500;
/** A comment line this often keeps proxies (and the client) from taking a stream for dead. */
const HEARTBEAT_MS = 15_000;
/** What a client is told to wait (`Retry-After`) when a cap refuses its stream. */
export const STREAM_RETRY_AFTER_SECONDS = 10;

/** Why a stream ended; written as a comment line, which EventSource and our client ignore. */
export type StreamEnd = 'access-lost' | 'slow-reader' | 'closed' | 'shutdown';

/** Where a stream writes: the raw HTTP response (or, in unit tests, any writable). */
export interface StreamOutput {
  write(chunk: string): boolean;
  end(): void;
  destroy(): void;
  readonly writableLength: number;
  readonly writableNeedDrain: boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
}

/**
 * One client's event stream. It writes what it is given after the last sequence it sent, and
 * drops the client once more than `maxBuffer` bytes wait unsent (a client that stopped reading):
 * the memory a reader that never reads can hold is bounded, and a dropped client resumes with
 * Last-Event-ID.
 */
export class TimelineStream {
  /** Caught up with its partnership's feed: the feed hands it each new batch. */
  live = false;
  ended: StreamEnd | undefined;

  constructor(
    readonly user: AuthUser,
    /** The Authorization header it was opened with; checked again while it is open. */
    readonly authorization: string,
    readonly partnershipId: string,
    public sent: number,
    private readonly out: StreamOutput,
    private readonly maxBuffer: number,
    private readonly onEnd: (stream: TimelineStream) => void,
  ) {}

  deliver(events: readonly TimelineEntryView[]): void {
    if (this.ended) return;
    for (const e of events) {
      if (e.sequence <= this.sent) continue;
      this.out.write(`id: ${e.sequence}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      this.sent = e.sequence;
    }
    this.checkBuffer();
  }

  heartbeat(): void {
    if (this.ended) return;
    this.out.write(': keep-alive\n\n');
    this.checkBuffer();
  }

  /** Resolves when what was written has gone to the socket (or the stream ended). */
  async drained(): Promise<void> {
    if (this.ended || !this.out.writableNeedDrain) return;
    let done: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (done = resolve));
    this.out.once('drain', done);
    this.out.once('close', done);
    try {
      await settled;
    } finally {
      this.out.removeListener('drain', done);
      this.out.removeListener('close', done);
    }
  }

  end(reason: StreamEnd): void {
    if (this.ended) return;
    this.ended = reason;
    if (reason === 'slow-reader') {
      // Its buffer is full: a goodbye would only add to it.
      this.out.destroy();
    } else if (reason !== 'closed') {
      this.out.write(`: stream ended (${reason})\n\n`);
      this.out.end();
    }
    this.onEnd(this);
  }

  private checkBuffer(): void {
    if (this.out.writableLength > this.maxBuffer) this.end('slow-reader');
  }
}

/**
 * The open streams of one partnership and the one reader of its new events: a notification
 * costs one query per partnership, whatever the number of its streams. A stream first catches up
 * by itself (from its Last-Event-ID), then joins the feed once it has everything the feed has
 * handed out (`head`), so no event is skipped or sent twice.
 */
export class PartnershipFeed {
  readonly streams = new Set<TimelineStream>();
  /** The last sequence read and handed to the live streams; undefined until one has caught up. */
  head: number | undefined;
  /** The highest sequence announced since the feed opened. */
  private announced = 0;
  private reading: Promise<void> = Promise.resolve();
  private queued = false;

  constructor(
    private readonly read: (after: number) => Promise<TimelineEntryView[]>,
    private readonly logger: Logger,
  ) {}

  announce(sequence: number): void {
    this.announced = Math.max(this.announced, sequence);
    if (this.head !== undefined && this.announced > this.head) this.pull();
  }

  /** Reads what follows `head` once and hands it to every live stream; serialised. */
  pull(): void {
    // A read queued but not started yet will see whatever this call was for.
    if (this.queued) return;
    this.queued = true;
    this.reading = this.reading
      .then(async () => {
        this.queued = false;
        for (;;) {
          if (this.head === undefined || this.streams.size === 0) return;
          const events = await this.read(this.head);
          if (events.length === 0) return;
          this.head = events[events.length - 1].sequence;
          for (const stream of this.streams) if (stream.live) stream.deliver(events);
          if (events.length < STREAM_BATCH) return;
        }
      })
      .catch((err: unknown) => {
        this.logger.warn(`timeline read failed: ${err instanceof Error ? err.message : err}`);
      });
  }

  /** Resolves once the reads asked for so far are done. */
  idle(): Promise<void> {
    return this.reading;
  }

  /** Sends `stream` everything after its position, then makes it live. */
  async catchUp(stream: TimelineStream): Promise<void> {
    for (;;) {
      const events = await this.read(stream.sent);
      stream.deliver(events);
      await stream.drained();
      if (stream.ended) return;
      if (events.length === STREAM_BATCH) continue;
      // It has all that was committed when the read ran. The feed may have handed out more
      // meanwhile (a batch it skipped, not being live yet): read again until it has that too.
      if (this.head === undefined) this.head = stream.sent;
      if (stream.sent >= this.head) {
        stream.live = true;
        if (this.announced > this.head) this.pull();
        return;
      }
    }
  }
}

/**
 * The live timelines: caps per user and per process, one feed per partnership over one LISTEN
 * connection per process (the worker's activities `pg_notify` after each committed timeline
 * write), a check every STREAM_ACCESS_CHECK_MS that ends the streams of a user who lost access
 * or whose credential no longer authenticates, and a heartbeat.
 */
@Injectable()
export class TimelineStreamService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TimelineStreamService.name);
  private readonly feeds = new Map<string, PartnershipFeed>();
  private readonly perUser = new Map<string, number>();
  private open = 0;
  private client?: Client;
  private closing = false;
  private checking = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly partnerships: PartnershipsRepository,
    private readonly read: PartnershipReadService,
    private readonly auth: AuthService,
    private readonly access: PartnershipAccessService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
    this.timers = [
      setInterval(() => void this.checkAccess(), this.config.STREAM_ACCESS_CHECK_MS),
      setInterval(() => this.each((s) => s.heartbeat()), HEARTBEAT_MS),
    ];
    for (const timer of this.timers) timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearInterval(timer);
    this.each((s) => s.end('shutdown'));
    await this.client?.end().catch(() => undefined);
  }

  /** How many streams are open: on this process, and `userId`'s. */
  counts(userId?: string): { process: number; user: number } {
    return { process: this.open, user: userId ? (this.perUser.get(userId) ?? 0) : 0 };
  }

  /**
   * Serves `GET /partnerships/:id/events/stream`: refuses past a cap (problem+json, before any
   * byte of the stream), then replays what follows `after` and goes on live.
   */
  async serve(input: {
    user: AuthUser;
    authorization: string;
    partnershipId: string;
    after: number;
    request: FastifyRequest;
    reply: FastifyReply;
  }): Promise<void> {
    const { user, partnershipId, request, reply } = input;
    await this.read.requireRow(partnershipId);
    const raw = reply.raw;
    const head = request.method === 'HEAD';
    if (!head) this.admit(user);
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // HEAD (Fastify answers it with this handler): the headers, never the endless body.
    if (head) {
      raw.end();
      return;
    }
    // The connection timeout is for silent connections; a stream has its heartbeat instead.
    request.raw.socket?.setTimeout(0);
    raw.write('retry: 3000\n\n');
    const stream = new TimelineStream(
      user,
      input.authorization,
      partnershipId,
      input.after,
      raw,
      this.config.STREAM_BUFFER_BYTES,
      (s) => this.release(s),
    );
    const feed = this.feedOf(partnershipId);
    feed.streams.add(stream);
    request.raw.on('close', () => stream.end('closed'));
    if (request.raw.destroyed) stream.end('closed'); // gone before the listener was there
    await feed.catchUp(stream).catch((err: unknown) => {
      this.logger.warn(`stream catch-up failed: ${err instanceof Error ? err.message : err}`);
      stream.end('shutdown');
    });
  }

  private admit(user: AuthUser): void {
    if (this.open >= this.config.STREAMS_PER_PROCESS) {
      throw new DomainError(
        ErrorCode.SERVER_BUSY,
        'This server holds as many event streams as it may; try again shortly',
        { retryAfterSeconds: STREAM_RETRY_AFTER_SECONDS },
      );
    }
    const mine = this.perUser.get(user.id) ?? 0;
    if (mine >= this.config.STREAMS_PER_USER) {
      throw new DomainError(
        ErrorCode.TOO_MANY_REQUESTS,
        `You have ${mine} event streams open, as many as one user may: close one first`,
        { retryAfterSeconds: STREAM_RETRY_AFTER_SECONDS },
      );
    }
    this.open += 1;
    this.perUser.set(user.id, mine + 1);
  }

  private release(stream: TimelineStream): void {
    this.open -= 1;
    const mine = (this.perUser.get(stream.user.id) ?? 1) - 1;
    if (mine > 0) this.perUser.set(stream.user.id, mine);
    else this.perUser.delete(stream.user.id);
    const feed = this.feeds.get(stream.partnershipId);
    feed?.streams.delete(stream);
    if (feed?.streams.size === 0) this.feeds.delete(stream.partnershipId);
  }

  private feedOf(partnershipId: string): PartnershipFeed {
    let feed = this.feeds.get(partnershipId);
    if (!feed) {
      feed = new PartnershipFeed(
        (after) => this.read.eventsAfter(partnershipId, after, STREAM_BATCH),
        this.logger,
      );
      this.feeds.set(partnershipId, feed);
    }
    return feed;
  }

  private each(fn: (stream: TimelineStream) => void): void {
    for (const feed of [...this.feeds.values()]) for (const s of [...feed.streams]) fn(s);
  }

  /**
   * Ends every stream whose Authorization header no longer authenticates its user (disabled,
   * token revoked or expired) or whose user may no longer read its partnership (removed). Each
   * credential and each user's access to a partnership is checked once per round. A check that
   * fails (the database is away) ends nothing: the next round decides.
   */
  async checkAccess(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const byCredential = new Map<string, TimelineStream[]>();
      this.each((s) => {
        const list = byCredential.get(s.authorization) ?? [];
        list.push(s);
        byCredential.set(s.authorization, list);
      });
      for (const [authorization, streams] of byCredential) {
        const user = await this.auth.authenticate(authorization).catch(() => null);
        if (user === null) continue;
        const partnerships = new Map<string, TimelineStream[]>();
        for (const s of streams) {
          if (!user || user.id !== s.user.id) s.end('access-lost');
          else partnerships.set(s.partnershipId, [...(partnerships.get(s.partnershipId) ?? []), s]);
        }
        if (!user) continue;
        for (const [partnershipId, ofPartnership] of partnerships) {
          const access = await this.access.accessTo(user, partnershipId).catch(() => null);
          if (access === 'none') for (const s of ofPartnership) s.end('access-lost');
        }
      }
    } finally {
      this.checking = false;
    }
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL });
    client.on('notification', (msg) => {
      try {
        const { partnershipId, sequence } = JSON.parse(msg.payload ?? '{}') as {
          partnershipId: string;
          sequence: number;
        };
        this.feeds.get(partnershipId)?.announce(sequence);
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
        // Every feed reads once, catching up on anything announced while disconnected.
        for (const feed of this.feeds.values()) feed.pull();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * attempt)));
      }
    }
  }
}
