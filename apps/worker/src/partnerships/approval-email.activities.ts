import { DataSource } from 'typeorm';
import { approvalLinkExpiry, signApprovalLink } from '../../../../libs/approval-links';
import { Mailer, renderApprovalRequestEmail } from '../../../../libs/notifications';
import type {
  ApprovalEmailBatch,
  PartnershipActivities,
} from '../../../../workflows/partnership/partnership.activities.contract';

export interface ApprovalEmailDeps {
  dataSource: DataSource;
  mailer: Mailer;
  linkSecret: string;
  baseUrl: string;
  linkGraceHours: number;
}

interface ContactRow {
  id: string;
  name: string;
  email: string;
  language: 'en' | 'es' | 'zh';
  time_zone: string;
}

/**
 * Approval e-mails, each with a signed link bound to that approval and that contact. The
 * notifications outbox is keyed by approval, kind and contact: a key already marked sent is
 * skipped, so a retry, a worker crash or a replay sends nothing twice.
 */
export function createApprovalEmailActivities(
  deps: ApprovalEmailDeps,
): Pick<PartnershipActivities, 'sendApprovalEmails'> {
  return {
    async sendApprovalEmails(batch: ApprovalEmailBatch): Promise<void> {
      const [approval] = (await deps.dataSource.query(
        `SELECT a.id, a.subject, a.deadline, a.requested_by, p.title AS partnership_title, p.coordinator_name
           FROM approval_requests a JOIN partnerships p ON p.id = a.partnership_id
          WHERE a.id = $1 AND a.partnership_id = $2`,
        [batch.approvalId, batch.partnershipId],
      )) as {
        subject: { title: string };
        deadline: Date;
        requested_by: { name?: string; email?: string };
        partnership_title: string;
        coordinator_name: string;
      }[];
      if (!approval) throw new Error(`approval ${batch.approvalId} is not in the read model yet`);
      const contacts = (await deps.dataSource.query(
        'SELECT id, name, email, language, time_zone FROM contacts WHERE id = ANY($1)',
        [batch.contactIds],
      )) as ContactRow[];
      const deadline = new Date(approval.deadline);
      for (const contact of contacts) {
        const key = `approval/${batch.approvalId}/${batch.kind}/${contact.id}`;
        const claimed = (await deps.dataSource.query(
          `INSERT INTO notifications (key, partnership_id, channel, recipient, status)
           VALUES ($1, $2, 'email', $3, 'sending')
           ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key
           RETURNING status`,
          [key, batch.partnershipId, contact.email],
        )) as { status: string }[];
        if (claimed[0]?.status === 'sent') continue;
        const token = signApprovalLink(
          {
            approvalId: batch.approvalId,
            contactId: contact.id,
            partnershipId: batch.partnershipId,
            expiresAt: approvalLinkExpiry(deadline, deps.linkGraceHours),
          },
          deps.linkSecret,
        );
        const email = renderApprovalRequestEmail({
          language: contact.language,
          recipientName: contact.name,
          partnershipTitle: approval.partnership_title,
          subjectTitle: approval.subject.title,
          requestedBy: approval.requested_by.name ?? approval.coordinator_name,
          deadline,
          timeZone: contact.time_zone,
          link: `${deps.baseUrl}/a/${token}`,
        });
        const sent = await deps.mailer.send({
          to: { name: contact.name, address: contact.email },
          ...email,
          notificationKey: key,
        });
        await deps.dataSource.query(
          `UPDATE notifications SET status = 'sent', message_id = $2, sent_at = now() WHERE key = $1`,
          [key, sent.messageId],
        );
      }
    },
  };
}
