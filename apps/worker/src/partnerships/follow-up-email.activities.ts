import {
  approvalSubjectTitle,
  awaitedApprovers,
  inEachLanguage,
  Language,
  notificationKey,
  taskTitle,
  TemplateTaskTitles,
} from '@libs/domain';
import {
  ApprovalsRepository,
  ApprovalToFollowUp,
  PartnershipsRepository,
  TemplatesRepository,
} from '@libs/db';
import { ApplicationFailure } from '@temporalio/common';
import { renderEmail } from '@libs/notifications';
import type {
  FollowUpEmail,
  PartnershipActivities,
} from '@workflows/partnership/partnership.activities.contract';
import {
  approvalLink,
  ContactRow,
  EmailDeps,
  findContacts,
  partnershipPageLink,
  sendOnce,
  taskLink,
} from './email-outbox';

const DAY_MS = 86_400_000;

type ApprovalWithTitles = ApprovalToFollowUp & { titles: TemplateTaskTitles };

/** Reminders, escalations, closed requests, overdue tasks and stalled stages, by e-mail. */
export function createFollowUpEmailActivities(
  deps: EmailDeps,
): Pick<PartnershipActivities, 'sendFollowUpEmail'> {
  const partnershipLink = (id: string): string => partnershipPageLink(deps, id);
  const approvals = new ApprovalsRepository(deps.dataSource);
  const partnerships = new PartnershipsRepository(deps.dataSource);
  const templates = new TemplatesRepository(deps.dataSource);

  const contactsById = async (ids: string[]): Promise<Map<string, ContactRow>> => {
    const rows = await findContacts(deps.dataSource, ids);
    return new Map(rows.map((r) => [r.id, r]));
  };

  /** The request and its partnership's template task titles (a task subject's words). */
  const approvalOf = async (
    email: FollowUpEmail & { approvalId: string },
  ): Promise<ApprovalWithTitles> => {
    const row = await approvals.toFollowUp(email.approvalId, email.partnershipId);
    if (!row) throw new Error(`approval ${email.approvalId} is not in the read model yet`);
    return { ...row, titles: await templates.titlesOfPartnership(email.partnershipId) };
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
          const task = await partnerships.taskToRemind(email.partnershipId, email.taskId);
          if (!task) throw new Error(`task ${email.taskId} is not in the read model yet`);
          if (
            task.status !== 'open' ||
            task.assignee_contact_id !== email.contactId ||
            task.due_date !== email.dueDate
          )
            return { sent: false };
          const contact = (await contactsById([email.contactId])).get(email.contactId);
          if (!contact) throw new Error(`contact ${email.contactId} not found`);
          // The task's title in each language, as the partnership's template version has it.
          const titles = await templates.titlesOfPartnership(email.partnershipId);
          const sent = await sendOnce(deps, key, email.partnershipId, contactAddress(contact), () =>
            renderEmail('taskOverdue', {
              language: contact.language,
              bilingual,
              timeZone: contact.time_zone,
              recipientName: contact.name,
              partnershipTitle: task.partnership_title,
              taskTitle: inEachLanguage((l) => taskTitle({ ...task, titles: titles[task.id] }, l)),
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
        case 'comment': {
          const partnershipTitle = await partnerships.titleOf(email.partnershipId);
          if (partnershipTitle === undefined) {
            throw new Error(`partnership ${email.partnershipId} not found`);
          }
          // The comment's event is in the read model before its e-mail goes; a task removed
          // since (a template move) leaves the e-mail without the task, never stuck.
          const task = email.taskId
            ? await partnerships.taskToRemind(email.partnershipId, email.taskId)
            : undefined;
          const titles = task ? await templates.titlesOfPartnership(email.partnershipId) : {};
          const about = {
            partnershipTitle,
            authorName: email.authorName || coordinator.name,
            text: email.text,
            ...(task
              ? {
                  taskTitle: inEachLanguage((l) =>
                    taskTitle({ ...task, titles: titles[task.id] }, l),
                  ),
                }
              : {}),
          };
          // A partner contact's comment: to the coordinator, with the partnership's page.
          if (email.contactId === undefined) {
            const sent = await sendOnce(deps, key, email.partnershipId, toCoordinator, () =>
              renderEmail('comment', {
                ...about,
                language: coordinator.language,
                bilingual,
                timeZone: coordinator.timeZone,
                recipientName: coordinator.name,
                link: partnershipLink(email.partnershipId),
                linkTo: 'partnership',
              }),
            );
            return { sent };
          }
          const contact = (await contactsById([email.contactId])).get(email.contactId);
          if (!contact) {
            // Never written (a colleague's address taken in a race): recorded as failed, and the
            // partnership's other e-mails go on.
            throw ApplicationFailure.nonRetryable(
              `contact ${email.contactId} not found`,
              'CONTACT_NOT_FOUND',
            );
          }
          const sent = await sendOnce(deps, key, email.partnershipId, contactAddress(contact), () =>
            renderEmail('comment', {
              ...about,
              language: contact.language,
              bilingual,
              timeZone: contact.time_zone,
              recipientName: contact.name,
              answerTo: { name: coordinator.name, email: coordinator.email },
              // Their own page of the task, when it is theirs to do.
              ...(task && task.status === 'open' && task.assignee_contact_id === contact.id
                ? {
                    link: taskLink(deps, {
                      partnershipId: email.partnershipId,
                      taskId: task.id,
                      contactId: contact.id,
                    }),
                    linkTo: 'task' as const,
                  }
                : {}),
            }),
          );
          return { sent };
        }
        case 'stage-stalled': {
          if (email.stage === 'agreed') return { sent: false };
          const stage = email.stage;
          const title = await partnerships.titleOf(email.partnershipId);
          if (title === undefined) throw new Error(`partnership ${email.partnershipId} not found`);
          const since = new Date(email.since);
          // Counted when the e-mail is first rendered; a resend keeps the same key.
          const idleDays = Math.max(1, Math.floor((Date.now() - since.getTime()) / DAY_MS));
          const sent = await sendOnce(deps, key, email.partnershipId, toCoordinator, () =>
            renderEmail('stageStalled', {
              ...coordinatorView,
              partnershipTitle: title,
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

/**
 * A request's subject in every language: a gate in the catalog's words, a template task in its
 * template version's.
 */
function subjectTitle(approval: ApprovalWithTitles): Record<Language, string> {
  return inEachLanguage((l) => approvalSubjectTitle(approval.subject, l, approval.titles));
}

function contactAddress(contact: ContactRow): { name: string; address: string } {
  return { name: contact.name, address: contact.email };
}
