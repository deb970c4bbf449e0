import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import {
  approvalLinkExpiry,
  signApprovalLink,
  signTaskLink,
  taskLinkExpiry,
} from '@libs/approval-links';
import { ContactRow, NotificationsRepository, OrganisationsRepository } from '@libs/db';
import type { Mailer, RenderedEmail } from '@libs/notifications';

/**
 * What the e-mail activities share: the notifications outbox (send once per business key), the
 * contacts they write to and the signed links they carry. Neutral ground, so that neither e-mail
 * activity file borrows from the other.
 */

export interface EmailDeps {
  dataSource: DataSource;
  mailer: Mailer;
  linkSecret: string;
  baseUrl: string;
  linkGraceHours: number;
}

export type { ContactRow };

/** The contacts with these ids (those that exist), as the e-mails address them. */
export async function findContacts(dataSource: DataSource, ids: string[]): Promise<ContactRow[]> {
  return new OrganisationsRepository(dataSource).contactsToEmail(ids);
}

/**
 * Claims an outbox key and sends once: a key already marked sent is skipped, so a retry, a worker
 * crash or a replay sends nothing twice. A crash between the SMTP server's acceptance and the mark
 * resends with the same Message-ID (derived from the key), which receivers de-duplicate.
 */
export async function sendOnce(
  deps: Pick<EmailDeps, 'dataSource' | 'mailer'>,
  key: string,
  partnershipId: string,
  to: { name: string; address: string },
  render: () => RenderedEmail,
): Promise<boolean> {
  const notifications = new NotificationsRepository(deps.dataSource);
  const claimed = await notifications.claimEmail(key, partnershipId, to.address);
  if (claimed === 'sent') return false;
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({ to, ...render(), notificationKey: key }));
  } catch (err) {
    throw permanentSmtpRefusal(err) ?? err;
  }
  await notifications.markSent(key, messageId);
  return true;
}

/** An approval e-mail's link: signed for that approval and contact, valid past the deadline. */
export function approvalLink(
  deps: Pick<EmailDeps, 'linkSecret' | 'baseUrl' | 'linkGraceHours'>,
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
  deps: Pick<EmailDeps, 'linkSecret' | 'baseUrl'>,
  claims: { partnershipId: string; taskId: string; contactId: string },
  now: Date = new Date(),
): string {
  const token = signTaskLink({ ...claims, expiresAt: taskLinkExpiry(now) }, deps.linkSecret, now);
  return `${deps.baseUrl}/t/${token}`;
}

/** The web app's page of a partnership, where its coordinators act on it. */
export function partnershipPageLink(deps: Pick<EmailDeps, 'baseUrl'>, id: string): string {
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
