import { Context } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { DigestRepository } from '@libs/db';
import type { DigestRecipientRow } from '@libs/db';
import {
  digestDue,
  digestPeriod,
  digestWeek,
  inEachLanguage,
  notificationKey,
  parseDigestTime,
  taskTitle,
  waitingOnPartners,
} from '@libs/domain';
import type { Language } from '@libs/domain';
import { renderEmail } from '@libs/notifications';
import type { Mailer, WeeklyDigestEmailInput } from '@libs/notifications';
import type {
  WeeklyDigestActivities,
  WeeklyDigestResult,
} from '@workflows/digest/weekly-digest.contract';
import { partnershipPageLink, sendOnce } from '../partnerships/email-outbox';

export interface WeeklyDigestDeps {
  dataSource: DataSource;
  mailer: Mailer;
  baseUrl: string;
  /** `DIGEST_AT`: `mon 09:00`, or `off` (a run sends nothing). */
  digestAt: string;
  /** Zone and language of a coordinator whose profile has none (COORDINATOR_TIME_ZONE, _LANGUAGE). */
  defaultZone: string;
  defaultLanguage: Language;
  leaseMs?: number;
}

/**
 * The weekly digest's activity (docs/digest.md): the coordinators due in the slot, what their
 * partnerships did and wait on (one statement per concern for all of them), and one e-mail each
 * through the outbox under `weekly-digest/<user>/<ISO week in their zone>`: a retry, or a second
 * run of the slot, finds it sent and sends nothing.
 */
export function createWeeklyDigestActivities(deps: WeeklyDigestDeps): WeeklyDigestActivities {
  const digests = new DigestRepository(deps.dataSource);
  const when = deps.digestAt === 'off' ? undefined : parseDigestTime(deps.digestAt);
  const zoneOf = (r: DigestRecipientRow) => r.time_zone ?? deps.defaultZone;
  return {
    async sendWeeklyDigests({ slot }): Promise<WeeklyDigestResult> {
      const slotStart = Date.parse(slot);
      if (!when) return { slot, due: 0, sent: 0 };
      const inSlot = (await digests.recipients()).filter((r) =>
        digestDue(slotStart, zoneOf(r), when),
      );
      if (inSlot.length === 0) return { slot, due: 0, sent: 0 };
      const { from, to } = digestPeriod(slotStart);
      const memberships = await digests.memberships(inSlot.map((r) => r.id));
      // A coordinator of no partnership (yet) has nothing to be told.
      const members = new Set(memberships.map((m) => m.user_id));
      const due = inSlot.filter((r) => members.has(r.id));
      const ids = [...new Set(memberships.map((m) => m.partnership_id))];
      const running = new Set(
        memberships
          .filter((m) => m.status === 'active' || m.status === 'paused')
          .map((m) => m.partnership_id),
      );
      const [advances, pending, assigned, overdue] = await Promise.all([
        digests.advances(ids, new Date(from), new Date(to)),
        digests.pendingApprovals([...running]),
        digests.assignedTasks([...running]),
        digests.overdueTasks([...running], new Date(slotStart), deps.defaultZone),
      ]);
      const waiting = waitingOnPartners(
        pending.map((a) => ({ partnershipId: a.partnership_id, organisations: a.organisations })),
        assigned.map((t) => ({
          partnershipId: t.partnership_id,
          organisationId: t.organisation_id,
        })),
      );
      const names = await digests.organisationNames([
        ...new Set(waiting.map((w) => w.organisationId)),
      ]);
      const context = Context.current();
      let sent = 0;
      for (const [i, recipient] of due.entries()) {
        const mine = memberships.filter((m) => m.user_id === recipient.id);
        const title = new Map(mine.map((m) => [m.partnership_id, m.title]));
        const link = (id: string) => partnershipPageLink(deps, id);
        const input: WeeklyDigestEmailInput = {
          language: recipient.language ?? deps.defaultLanguage,
          timeZone: zoneOf(recipient),
          link: `${deps.baseUrl}/`,
          recipientName: recipient.name,
          from: new Date(from),
          to: new Date(to),
          advanced: advances
            .filter((a) => title.has(a.partnership_id))
            .map((a) => ({
              partnershipTitle: title.get(a.partnership_id)!,
              stage: a.to_stage,
              at: a.occurred_at,
              link: link(a.partnership_id),
            })),
          waiting: waiting
            .filter((w) => title.has(w.partnershipId))
            .map((w) => ({
              partnershipTitle: title.get(w.partnershipId)!,
              organisationName: names.get(w.organisationId) ?? w.organisationId,
              approvals: w.approvals,
              tasks: w.tasks,
              link: link(w.partnershipId),
            })),
          overdue: overdue
            .filter((t) => title.has(t.partnership_id))
            .map((t) => ({
              partnershipTitle: title.get(t.partnership_id)!,
              taskTitle: inEachLanguage((l) =>
                taskTitle({ id: t.task_id, title: t.title, source: t.source }, l),
              ),
              dueDate: t.due_date,
              link: link(t.partnership_id),
            })),
        };
        const key = notificationKey({
          kind: 'weekly-digest',
          userId: recipient.id,
          week: digestWeek(slotStart, input.timeZone),
        });
        const wasSent = await sendOnce(
          deps,
          key,
          null,
          { name: recipient.name, address: recipient.email },
          () => renderEmail('weeklyDigest', input),
        );
        if (wasSent) sent += 1;
        // Alive through a long list; what went out is in the outbox, so a retry skips it.
        context.heartbeat({ done: i + 1 });
      }
      return { slot, due: due.length, sent };
    },
  };
}
