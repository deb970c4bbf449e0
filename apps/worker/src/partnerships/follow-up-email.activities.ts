import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import {
  approvalLinkExpiry,
  signApprovalLink,
  signTaskLink,
  taskLinkExpiry,
} from '../../../../libs/approval-links';
import {
  ApprovalSubject,
  approvalSubjectTitle,
  awaitedApprovers,
  inEachLanguage,
  Language,
  notificationKey,
  OrganisationApproval,
  Task,
  taskTitle,
} from '../../../../libs/domain';
import { RenderedEmail, renderEmail } from '../../../../libs/notifications';
import type {
  FollowUpEmail,
  PartnershipActivities,
} from '../../../../workflows/partnership/partnership.activities.contract';
import type { ApprovalEmailDeps } from './approval-email.activities';

export interface ContactRow {
  id: string;
  name: string;
  email: string;
  language: Language;
  time_zone: string;
}

interface ApprovalRow {
  id: string;
  status: string;
  subject: ApprovalSubject;
  deadline: Date;
  requested_by: { name?: string };
  organisations: OrganisationApproval[];
  partnership_title: string;
}

const DAY_MS = 86_400_000;

/** The contacts with these ids (those that exist), as the e-mails address them. */
export async function findContacts(dataSource: DataSource, ids: string[]): Promise<ContactRow[]> {
  return (await dataSource.query(
    'SELECT id, name, email, language, time_zone FROM contacts WHERE id = ANY($1)',
    [ids],
  )) as ContactRow[];
}

/**
 * Claims an outbox key and sends once: a key already marked sent is skipped, so a retry, a worker
 * crash or a replay sends nothing twice. A crash between the SMTP server's acceptance and the mark
 * resends with the same Message-ID (derived from the key), which receivers de-duplicate.
 */
export async function sendOnce(
  deps: Pick<ApprovalEmailDeps, 'dataSource' | 'mailer'>,
  key: string,
  partnershipId: string,
  to: { name: string; address: string },
  render: () => RenderedEmail,
): Promise<boolean> {
  const claimed = (await deps.dataSource.query(
    `INSERT INTO notifications (key, partnership_id, channel, recipient, status)
     VALUES ($1, $2, 'email', $3, 'sending')
     ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key
     RETURNING status`,
    [key, partnershipId, to.address],
  )) as { status: string }[];
  if (claimed[0]?.status === 'sent') return false;
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({ to, ...render(), notificationKey: key }));
  } catch (err) {
    throw permanentSmtpRefusal(err) ?? err;
  }
  await deps.dataSource.query(
    `UPDATE notifications SET status = 'sent', message_id = $2, sent_at = now() WHERE key = $1`,
    [key, messageId],
  );
  return true;
}

/** An approval e-mail's link: signed for that approval and contact, valid past the deadline. */
export function approvalLink(
  deps: Pick<ApprovalEmailDeps, 'linkSecret' | 'baseUrl' | 'linkGraceHours'>,
  claims: { approvalId: string; contactId: string; partnershipId: string; deadline: Date },
): string {
  const token = signApprovalLink(
    {
      approvalId: claims.approvalId,
      contactId: claims.contactId,
      partnershipId: claims.partnershipId,
      expiresAt: approvalLinkExpiry(claims.deadline, deps.linkGraceHours),
    },
    deps.linkSecret,
  );
  return `${deps.baseUrl}/a/${token}`;
}

/**
 * An overdue-task e-mail's link: signed for that partnership, task and contact (the assignee), to
 * the task page where they mark it done or say what blocks it; valid for two weeks from sending.
 */
export function taskLink(
  deps: Pick<ApprovalEmailDeps, 'linkSecret' | 'baseUrl'>,
  claims: { partnershipId: string; taskId: string; contactId: string },
  now: Date = new Date(),
): string {
  const token = signTaskLink({ ...claims, expiresAt: taskLinkExpiry(now) }, deps.linkSecret, now);
  return `${deps.baseUrl}/t/${token}`;
}

/** The web app's page of a partnership, where its coordinators act on it. */
export function partnershipPageLink(deps: Pick<ApprovalEmailDeps, 'baseUrl'>, id: string): string {
  return `${deps.baseUrl}/partnerships/${encodeURIComponent(id)}`;
}

/** A 5xx SMTP reply (unknown mailbox, rejected sender) will not change on retry. */
function permanentSmtpRefusal(err: unknown): ApplicationFailure | undefined {
  const code = (err as { responseCode?: unknown }).responseCode;
  if (typeof code !== 'number' || code < 500 || code > 599) return undefined;
  return ApplicationFailure.nonRetryable(
    `SMTP server refused the message (${code})`,
    'SMTP_PERMANENT_FAILURE',
  );
}

/** Reminders, escalations, closed requests, overdue tasks and stalled stages, by e-mail. */
export function createFollowUpEmailActivities(
  deps: ApprovalEmailDeps,
): Pick<PartnershipActivities, 'sendFollowUpEmail'> {
  const partnershipLink = (id: string): string => partnershipPageLink(deps, id);

  const contactsById = async (ids: string[]): Promise<Map<string, ContactRow>> => {
    const rows = await findContacts(deps.dataSource, ids);
    return new Map(rows.map((r) => [r.id, r]));
  };

  const approvalOf = async (
    email: FollowUpEmail & { approvalId: string },
  ): Promise<ApprovalRow> => {
    const [row] = (await deps.dataSource.query(
      `SELECT a.id, a.status, a.subject, a.deadline, a.requested_by, a.organisations,
              p.title AS partnership_title
         FROM approval_requests a JOIN partnerships p ON p.id = a.partnership_id
        WHERE a.id = $1 AND a.partnership_id = $2`,
      [email.approvalId, email.partnershipId],
    )) as ApprovalRow[];
    if (!row) throw new Error(`approval ${email.approvalId} is not in the read model yet`);
    return row;
  };

  const names = (ids: string[], contacts: Map<string, ContactRow>): string[] =>
    ids.map((id) => contacts.get(id)?.name ?? id);

  return {
    async sendFollowUpEmail(email: FollowUpEmail): Promise<{ sent: boolean }> {
      const key = notificationKey(email);
      const { coordinator, bilingual } = email;
      const toCoordinator = { name: coordinator.name, address: coordinator.email };
      const coordinatorView = {
        language: coordinator.language,
        timeZone: coordinator.timeZone,
        coordinatorName: coordinator.name,
        bilingual,
      };
      switch (email.kind) {
        case 'approval-reminder': {
          const approval = await approvalOf(email);
          // The workflow drops reminders for decided requests; this guards a decision that
          // reached the read model first.
          const request = {
            status: approval.status,
            organisations: approval.organisations,
          } as Parameters<typeof awaitedApprovers>[0];
          if (approval.status !== 'pending' || !awaitedApprovers(request).includes(email.contactId))
            return { sent: false };
          const contact = (await contactsById([email.contactId])).get(email.contactId);
          if (!contact) throw new Error(`contact ${email.contactId} not found`);
          const deadline = new Date(approval.deadline);
          const link = approvalLink(deps, {
            approvalId: approval.id,
            contactId: contact.id,
            partnershipId: email.partnershipId,
            deadline,
          });
          const sent = await sendOnce(deps, key, email.partnershipId, contactAddress(contact), () =>
            renderEmail('reminder', {
              language: contact.language,
              bilingual,
              recipientName: contact.name,
              partnershipTitle: approval.partnership_title,
              subjectTitle: subjectTitle(approval),
              requestedBy: approval.requested_by.name ?? coordinator.name,
              deadline,
              timeZone: contact.time_zone,
              link,
              reminderNumber: email.reminderNumber,
            }),
          );
          return { sent };
        }
        case 'approval-escalation': {
          const approval = await approvalOf(email);
          const contacts = await contactsById(email.awaiting);
          const sent = await sendOnce(deps, key, email.partnershipId, toCoordinator, () =>
            renderEmail('escalation', {
              ...coordinatorView,
              partnershipTitle: approval.partnership_title,
              subjectTitle: subjectTitle(approval),
              awaiting: names(email.awaiting, contacts),
              deadline: new Date(approval.deadline),
              link: partnershipLink(email.partnershipId),
            }),
          );
          return { sent };
        }
        case 'approval-closed': {
          const approval = await approvalOf(email);
          const approvers = approval.organisations.flatMap((o) => o.approvers);
          const contacts = await contactsById(approvers.map((a) => a.contactId));
          const common = {
            ...coordinatorView,
            partnershipTitle: approval.partnership_title,
            subjectTitle: subjectTitle(approval),
            link: partnershipLink(email.partnershipId),
          };
          if (email.status === 'expired') {
            const awaiting = approvers.filter((a) => !a.delegated && !a.decision);
            const sent = await sendOnce(deps, key, email.partnershipId, toCoordinator, () =>
              renderEmail('approvalExpired', {
                ...common,
                awaiting: names(
                  awaiting.map((a) => a.contactId),
                  contacts,
                ),
                deadline: new Date(approval.deadline),
              }),
            );
            return { sent };
          }
          // The decision that closed it: the rejection, or the last approval.
          const decisions = approvers
            .map((a) => a.decision)
            .filter((d): d is NonNullable<typeof d> => d !== null)
            .sort((a, b) => a.at.localeCompare(b.at));
          const closing =
            email.status === 'rejected'
              ? decisions.find((d) => d.outcome === 'rejected')
              : decisions[decisions.length - 1];
          if (!closing) throw new Error(`approval ${approval.id} has no decision yet`);
          const requestStatus = email.status;
          const sent = await sendOnce(deps, key, email.partnershipId, toCoordinator, () =>
            renderEmail('decision', {
              ...common,
              decision: closing.outcome,
              decidedBy: contacts.get(closing.contactId)?.name ?? closing.contactId,
              decidedAt: new Date(closing.at),
              ...(closing.comment ? { comment: closing.comment } : {}),
              requestStatus,
            }),
          );
          return { sent };
        }
        case 'task-overdue': {
          const [task] = (await deps.dataSource.query(
            `SELECT t.id, t.title, t.source, t.status, t.assignee_contact_id, to_char(t.due_date, 'YYYY-MM-DD') AS due_date,
                    p.title AS partnership_title
               FROM partnership_tasks t JOIN partnerships p ON p.id = t.partnership_id
              WHERE t.partnership_id = $1 AND t.id = $2`,
            [email.partnershipId, email.taskId],
          )) as {
            id: string;
            title: string;
            source: Task['source'];
            status: string;
            assignee_contact_id: string | null;
            due_date: string | null;
            partnership_title: string;
          }[];
          if (!task) throw new Error(`task ${email.taskId} is not in the read model yet`);
          if (
            task.status !== 'open' ||
            task.assignee_contact_id !== email.contactId ||
            task.due_date !== email.dueDate
          )
            return { sent: false };
          const contact = (await contactsById([email.contactId])).get(email.contactId);
          if (!contact) throw new Error(`contact ${email.contactId} not found`);
          const sent = await sendOnce(deps, key, email.partnershipId, contactAddress(contact), () =>
            renderEmail('taskOverdue', {
              language: contact.language,
              bilingual,
              timeZone: contact.time_zone,
              recipientName: contact.name,
              partnershipTitle: task.partnership_title,
              taskTitle: inEachLanguage((l) => taskTitle(task, l)),
              dueDate: email.dueDate,
              reminderNumber: email.reminderNumber,
              coordinatorName: coordinator.name,
              link: taskLink(deps, {
                partnershipId: email.partnershipId,
                taskId: email.taskId,
                contactId: contact.id,
              }),
            }),
          );
          return { sent };
        }
        case 'stage-stalled': {
          if (email.stage === 'agreed') return { sent: false };
          const stage = email.stage;
          const [partnership] = (await deps.dataSource.query(
            'SELECT title FROM partnerships WHERE id = $1',
            [email.partnershipId],
          )) as { title: string }[];
          if (!partnership) throw new Error(`partnership ${email.partnershipId} not found`);
          const since = new Date(email.since);
          // Counted when the e-mail is first rendered; a resend keeps the same key.
          const idleDays = Math.max(1, Math.floor((Date.now() - since.getTime()) / DAY_MS));
          const sent = await sendOnce(deps, key, email.partnershipId, toCoordinator, () =>
            renderEmail('stageStalled', {
              ...coordinatorView,
              partnershipTitle: partnership.title,
              stage,
              lastActivityAt: since,
              idleDays,
              link: partnershipLink(email.partnershipId),
            }),
          );
          return { sent };
        }
      }
    },
  };
}

/** A request's subject in every language: a gate or template task in the catalog's words. */
function subjectTitle(approval: ApprovalRow): Record<Language, string> {
  return inEachLanguage((l) => approvalSubjectTitle(approval.subject, l));
}

function contactAddress(contact: ContactRow): { name: string; address: string } {
  return { name: contact.name, address: contact.email };
}
