import { Logger } from '@nestjs/common';
import { PassThrough } from 'node:stream';
import type { AuthUser } from '@libs/domain';
import type { TimelineEntryView } from './partnership.dto';
import { PartnershipFeed, STREAM_BATCH, TimelineStream } from './timeline-stream.service';

const USER: AuthUser = {
  id: 'u-1',
  email: 'ana@iurc.example',
  name: 'Ana',
  role: 'admin',
  via: 'access-token',
};

const entry = (sequence: number, size = 0): TimelineEntryView => ({
  sequence,
  type: 'task.added',
  actor: { kind: 'system' },
  occurredAt: '2026-12-01T00:00:00.000Z',
  payload: { padding: 'x'.repeat(size) },
});

/** A timeline held in memory, read like the projection (after a sequence, in batches). */
function newTimeline(length: number) {
  const events = Array.from({ length }, (_, i) => entry(i + 1));
  const reads: number[] = [];
  const read = jest.fn((after: number) => {
    reads.push(after);
    return Promise.resolve(events.filter((e) => e.sequence > after).slice(0, STREAM_BATCH));
  });
  return { events, reads, read, append: (n: number) => events.push(...range(n, events.length)) };
}

const range = (n: number, from: number): TimelineEntryView[] =>
  Array.from({ length: n }, (_, i) => entry(from + i + 1));

/** A stream over a real PassThrough whose output is read (collected) or, if `reading` is false, never. */
function newStream(after: number, { reading = true, maxBuffer = 1024 * 1024 } = {}) {
  const out = new PassThrough({ highWaterMark: 1024 });
  let text = '';
  if (reading) out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const ended: TimelineStream[] = [];
  const stream = new TimelineStream(USER, 'Bearer t', 'p-1', after, out, maxBuffer, (s) =>
    ended.push(s),
  );
  return {
    stream,
    out,
    ids: () => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])),
    ended,
  };
}

describe(PartnershipFeed.name, () => {
  const logger = new Logger('test');

  it('reads each new batch once for all its live streams', async () => {
    const timeline = newTimeline(3);
    const feed = new PartnershipFeed(timeline.read, logger);
    const streams = [newStream(0), newStream(1), newStream(3)];
    for (const s of streams) {
      feed.streams.add(s.stream);
      await feed.catchUp(s.stream);
    }
    expect(streams.map((s) => s.stream.live)).toEqual([true, true, true]);
    const readsBefore = timeline.reads.length;

    timeline.append(2);
    feed.announce(5);
    await feed.idle();
    expect(timeline.reads.slice(readsBefore)).toEqual([3]);
    expect(streams.map((s) => s.ids())).toEqual([
      [1, 2, 3, 4, 5],
      [2, 3, 4, 5],
      [4, 5],
    ]);
  });

  it('a stream catching up while the feed moves on gets every event once', async () => {
    const timeline = newTimeline(2);
    const feed = new PartnershipFeed(timeline.read, logger);
    const early = newStream(0);
    feed.streams.add(early.stream);
    await feed.catchUp(early.stream);

    // The late stream's first read answers 1..2; before it joins, the feed hands out 3..4.
    const late = newStream(0);
    feed.streams.add(late.stream);
    const joining = feed.catchUp(late.stream);
    timeline.append(2);
    feed.announce(4);
    await joining;
    await feed.idle();
    expect(early.ids()).toEqual([1, 2, 3, 4]);
    expect(late.ids()).toEqual([1, 2, 3, 4]);
    expect(late.stream.live).toBe(true);
  });
});

describe(TimelineStream.name, () => {
  it('drops a client that stops reading once its buffer passes the bound', () => {
    const s = newStream(0, { reading: false, maxBuffer: 8 * 1024 });
    s.stream.deliver([entry(1, 100)]);
    expect(s.stream.ended).toBeUndefined();
    s.stream.deliver(range(50, 1).map((e) => ({ ...e, payload: { padding: 'x'.repeat(500) } })));
    expect(s.stream.ended).toBe('slow-reader');
    expect(s.out.destroyed).toBe(true);
    expect(s.ended).toEqual([s.stream]);
  });

  it('keeps a client that reads, whatever it is sent', async () => {
    const s = newStream(0, { maxBuffer: 8 * 1024 });
    for (let i = 0; i < 20; i++) {
      s.stream.deliver([entry(i + 1, 500)]);
      await s.stream.drained();
    }
    expect(s.stream.ended).toBeUndefined();
    expect(s.ids()).toHaveLength(20);
  });
});
