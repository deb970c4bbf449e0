/**
 * `npm run bench:meeting-slots`: the meeting-time finder (findMeetingSlots, libs/domain), which the
 * API runs on every GET /api/v1/partnerships/:id/meeting-slots. Pure CPU, no services: each case
 * runs WARMUP times, then RUNS times measured one after another; p50, p95 and max per case, against
 * its target. Exits 1 when a p95 misses its target. Results also go to
 * bench/results/meeting-slots.json.
 *
 *   a. founding-case   Madrid + Chengdu contacts, a week, 30-minute steps, with their calendars
 *   b. ten-attendees   10 attendees in 5 zones, a week, 15-minute steps (fair mode: no common slot)
 *   c. largest         50 attendees, 31 days, 5-minute steps: the largest question the API accepts
 *
 * Env: RUNS (30), WARMUP (3).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { workingCalendarFor } from '@libs/calendars';
import { DEFAULT_WORKING_HOURS, findMeetingSlots, MeetingSlotQuery } from '@libs/domain';

const RUNS = Math.max(1, Number(process.env.RUNS ?? 30));
const WARMUP = Math.max(0, Number(process.env.WARMUP ?? 3));

const es = workingCalendarFor({ country: 'ES', region: 'VC' }, '2026-12-01', '2027-01-31');
const cn = workingCalendarFor({ country: 'CN', region: null }, '2026-12-01', '2027-01-31');
const ZONES = [
  'Europe/Madrid',
  'Asia/Shanghai',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Pacific/Auckland',
];
const attendees = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `a${i}`,
    timeZone: ZONES[i % ZONES.length],
    workingHours: DEFAULT_WORKING_HOURS,
    calendar: i % 2 === 0 ? es : cn,
  }));

const CASES: { name: string; targetP95Ms: number; query: MeetingSlotQuery }[] = [
  {
    name: 'founding-case',
    targetP95Ms: 20,
    query: {
      attendees: [
        { id: 'es', timeZone: 'Europe/Madrid', workingHours: DEFAULT_WORKING_HOURS, calendar: es },
        { id: 'cn', timeZone: 'Asia/Shanghai', workingHours: DEFAULT_WORKING_HOURS, calendar: cn },
      ],
      from: new Date('2026-12-07T00:00:00Z'),
      to: new Date('2026-12-14T00:00:00Z'),
      durationMinutes: 60,
      stepMinutes: 30,
    },
  },
  {
    name: 'ten-attendees',
    targetP95Ms: 100,
    query: {
      attendees: attendees(10),
      from: new Date('2027-01-11T00:00:00Z'),
      to: new Date('2027-01-18T00:00:00Z'),
      durationMinutes: 60,
      stepMinutes: 15,
    },
  },
  {
    name: 'largest',
    targetP95Ms: 1_000,
    query: {
      attendees: attendees(50),
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2027-01-01T00:00:00Z'),
      durationMinutes: 60,
      stepMinutes: 5,
    },
  },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function main(): void {
  const results = CASES.map(({ name, targetP95Ms, query }) => {
    for (let i = 0; i < WARMUP; i++) findMeetingSlots(query);
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      findMeetingSlots(query);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    const result = {
      name,
      runs: RUNS,
      p50Ms: round(percentile(ms, 50)),
      p95Ms: round(percentile(ms, 95)),
      maxMs: round(ms[ms.length - 1]),
      targetP95Ms,
    };
    const verdict = result.p95Ms <= targetP95Ms ? 'ok' : 'MISSED';
    console.log(
      `${name.padEnd(14)} p50 ${result.p50Ms} ms  p95 ${result.p95Ms} ms  max ${result.maxMs} ms  (target p95 ≤ ${targetP95Ms} ms: ${verdict})`,
    );
    return result;
  });
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'meeting-slots.json'),
    `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`,
  );
  if (results.some((r) => r.p95Ms > r.targetP95Ms)) process.exitCode = 1;
}

main();
