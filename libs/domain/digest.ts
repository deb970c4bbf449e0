/**
 * The weekly digest (docs/digest.md): when a coordinator's is due, which ISO week it is for, and
 * what waits on each partner organisation. Pure and deterministic: the digest workflow takes the
 * slot from its clock with `digestSlotStart`, the worker's activity applies the rest.
 */
import { organisationApproved } from './approvals';
import type { OrganisationApproval } from './approvals';
import { addDays, localParts, zonedInstant } from './zoned-time';

/**
 * The digest Schedule runs every quarter of an hour. Every zone's offset from UTC is a whole
 * number of quarter hours (+05:30, +05:45, +12:45 included), so each zone's 09:00 falls at the
 * start of exactly one run's slot.
 */
export const DIGEST_SLOT_MINUTES = 15;
const SLOT_MS = DIGEST_SLOT_MINUTES * 60_000;
const DAY_MS = 86_400_000;

/** The days a digest may be set to, ISO order (Monday first): `DIGEST_AT=mon 09:00`. */
export const DIGEST_WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type DigestWeekday = (typeof DIGEST_WEEKDAYS)[number];

/** A local weekday and time, the same wall clock in every recipient's zone. */
export interface DigestTime {
  /** 1 = Monday … 7 = Sunday. */
  isoWeekday: number;
  /** Minutes since local midnight, a multiple of DIGEST_SLOT_MINUTES. */
  minuteOfDay: number;
}

const DIGEST_TIME = /^(mon|tue|wed|thu|fri|sat|sun) ([01]\d|2[0-3]):(00|15|30|45)$/;

/** `'mon 09:00'` → Monday, 540 minutes; a RangeError for anything else. */
export function parseDigestTime(value: string): DigestTime {
  const match = DIGEST_TIME.exec(value.trim().toLowerCase());
  if (!match) {
    throw new RangeError(
      `expected "<mon…sun> HH:MM" on a quarter hour, got ${JSON.stringify(value)}`,
    );
  }
  return {
    isoWeekday: DIGEST_WEEKDAYS.indexOf(match[1] as DigestWeekday) + 1,
    minuteOfDay: Number(match[2]) * 60 + Number(match[3]),
  };
}

/** The start of the quarter hour instant `ms` falls in: the slot a run covers. */
export function digestSlotStart(ms: number): number {
  return Math.floor(ms / SLOT_MS) * SLOT_MS;
}

/**
 * The instant of this week's digest in `timeZone` for the week of local date of `ms`, if that
 * local day is the digest's weekday; otherwise undefined. A wall time the clocks skip (a DST
 * gap) moves to the moment they jump, so it still falls in one slot.
 */
function digestInstantOn(ms: number, timeZone: string, when: DigestTime): number | undefined {
  const local = localParts(ms, timeZone);
  const day = addDays(local, 0);
  if (day.isoWeekday !== when.isoWeekday) return undefined;
  return zonedInstant(day, when.minuteOfDay, timeZone);
}

/**
 * Whether the run of the slot starting at `slotStart` sends the digest of a recipient in
 * `timeZone`: their weekday and time (Monday 09:00) falls inside it. Exactly one slot a week
 * for every zone, whatever its offset and through DST changes.
 */
export function digestDue(slotStart: number, timeZone: string, when: DigestTime): boolean {
  if (slotStart % SLOT_MS !== 0) throw new RangeError('slotStart must start a quarter hour');
  // The local day at the slot's start and at its end may differ (a slot across midnight).
  for (const probe of [slotStart, slotStart + SLOT_MS - 1]) {
    const at = digestInstantOn(probe, timeZone, when);
    if (at !== undefined && at >= slotStart && at < slotStart + SLOT_MS) return true;
  }
  return false;
}

/**
 * The ISO week (`2026-W49`) of instant `ms` in `timeZone`: with the recipient, what names their
 * digest in the outbox, so a retry or a second run that week sends nothing twice.
 */
export function digestWeek(ms: number, timeZone: string): string {
  const day = addDays(localParts(ms, timeZone), 0);
  // The week's Thursday decides its ISO year.
  const thursday = addDays(day, 4 - day.isoWeekday);
  const jan1 = Date.UTC(thursday.year, 0, 1);
  const week =
    Math.floor((Date.UTC(thursday.year, thursday.month - 1, thursday.day) - jan1) / (7 * DAY_MS)) +
    1;
  return `${thursday.year}-W${String(week).padStart(2, '0')}`;
}

/** What the digest looks back over: the seven days before its slot. */
export function digestPeriod(slotStart: number): { from: number; to: number } {
  return { from: slotStart - 7 * DAY_MS, to: slotStart };
}

/** A pending approval request, as the digest counts it. */
export interface DigestPendingApproval {
  partnershipId: string;
  organisations: readonly OrganisationApproval[];
}

/** An open task assigned to a partner contact, by the contact's organisation. */
export interface DigestAssignedTask {
  partnershipId: string;
  organisationId: string;
}

/** What waits on one partner organisation in one partnership. */
export interface DigestWaiting {
  partnershipId: string;
  organisationId: string;
  /** Pending approval requests the organisation has not yet consented to under its rule. */
  approvals: number;
  /** Open tasks assigned to one of its contacts. */
  tasks: number;
}

/**
 * What waits on whom: per partnership and organisation, the pending requests it has not yet
 * approved (`organisationApproved`, the rule the requests themselves follow) and the open tasks
 * assigned to its contacts. Organisations nothing waits on are left out; in the order first met.
 */
export function waitingOnPartners(
  approvals: readonly DigestPendingApproval[],
  tasks: readonly DigestAssignedTask[],
): DigestWaiting[] {
  const byKey = new Map<string, DigestWaiting>();
  const entry = (partnershipId: string, organisationId: string): DigestWaiting => {
    const key = `${partnershipId}/${organisationId}`;
    let found = byKey.get(key);
    if (!found) {
      found = { partnershipId, organisationId, approvals: 0, tasks: 0 };
      byKey.set(key, found);
    }
    return found;
  };
  for (const request of approvals) {
    for (const org of request.organisations) {
      if (!organisationApproved(org)) entry(request.partnershipId, org.organisationId).approvals++;
    }
  }
  for (const task of tasks) entry(task.partnershipId, task.organisationId).tasks++;
  return [...byKey.values()];
}
