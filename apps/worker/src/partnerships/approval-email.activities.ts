import { ApplicationFailure } from '@temporalio/common';
import { ApprovalsRepository, TemplatesRepository } from '@libs/db';
import {
  approvalSubjectTitle,
  inEachLanguage,
  notificationKey,
  type TemplateTaskTitles,
} from '@libs/domain';
import { renderEmail } from '@libs/notifications';
import type {
  ApprovalEmail,
  ApprovalEmailBatch,
  PartnershipActivities,
} from '@workflows/partnership/partnership.activities.contract';
import { approvalLink, EmailDeps, findContacts, sendOnce } from './email-outbox';

/**
 * Approval e-mails, each with a signed link bound to that approval and that contact. The
 * notifications outbox is keyed by approval, kind and contact, and each key is sent under a lease
 * (sendOnce): one attempt at a time, nothing after `sent`.
 */
export function createApprovalEmailActivities(
  deps: EmailDeps,
): Pick<PartnershipActivities, 'sendApprovalEmails' | 'sendApprovalEmail'> {
  const approvals = new ApprovalsRepository(deps.dataSource);
  const templates = new TemplatesRepository(deps.dataSource);

  /** The request and its template task titles (a task's subject in its template version's words). */
  const approvalToMail = async (approvalId: string, partnershipId: string) => {
    const approval = await approvals.toMail(approvalId, partnershipId);
    if (!approval) throw new Error(`approval ${approvalId} is not in the read model yet`);
    const titles: TemplateTaskTitles = await templates.titlesOfPartnership(partnershipId);
    return { ...approval, titles };
  };

  /** One contact's e-mail; false when the contact is gone or it went out before. */
  const sendTo = async (
    email: ApprovalEmail,
    approval: Awaited<ReturnType<typeof approvalToMail>>,
  ): Promise<boolean> => {
    const [contact] = await findContacts(deps.dataSource, [email.contactId]);
    if (!contact) return false;
    const deadline = new Date(approval.deadline);
    const key = notificationKey({
      kind: 'approval-request',
      approvalId: email.approvalId,
      contactId: contact.id,
    });
    const link = approvalLink(deps, {
      approvalId: email.approvalId,
      contactId: contact.id,
      deadline,
    });
    return sendOnce(
      deps,
      key,
      email.partnershipId,
      { name: contact.name, address: contact.email },
      () =>
        renderEmail('approvalRequest', {
          language: contact.language,
          bilingual: email.bilingual ?? false,
          recipientName: contact.name,
          partnershipTitle: approval.partnership_title,
          subjectTitle: inEachLanguage((l) =>
            approvalSubjectTitle(approval.subject, l, approval.titles),
          ),
          requestedBy: approval.requested_by.name ?? approval.coordinator_name,
          deadline,
          timeZone: contact.time_zone,
          link,
        }),
    );
  };

  return {
    async sendApprovalEmail(email: ApprovalEmail): Promise<{ sent: boolean }> {
      const approval = await approvalToMail(email.approvalId, email.partnershipId);
      return { sent: await sendTo(email, approval) };
    },

    async sendApprovalEmails(batch: ApprovalEmailBatch): Promise<void> {
      const approval = await approvalToMail(batch.approvalId, batch.partnershipId);
      const refused: string[] = [];
      for (const contactId of batch.contactIds) {
        try {
          await sendTo({ ...batch, contactId }, approval);
        } catch (err) {
          // One refused recipient does not keep the e-mail from the others.
          if (!(err instanceof ApplicationFailure) || !err.nonRetryable) throw err;
          refused.push(`${contactId}: ${err.message}`);
        }
      }
      if (refused.length > 0) {
        throw ApplicationFailure.nonRetryable(
          `SMTP server refused ${refused.join('; ')}`,
          'SMTP_PERMANENT_FAILURE',
        );
      }
    },
  };
}
