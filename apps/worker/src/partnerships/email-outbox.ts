import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  approvalLinkExpiry,
  signApprovalLink,
  knowledgeLinkExpiry,
  signKnowledgeLink,
  signTaskLink,
  taskLinkExpiry,
} from '@libs/approval-links';
import { ContactRow, NotificationsRepository, OrganisationsRepository } from '@libs/db';
import type { Mailer, OutgoingEmail, RenderedEmail } from '@libs/notifications';

/**
 * What the e-mail activities share: the notifications outbox (one attempt at a time per business
 * key, nothing after `sent`), the contacts they write to and the signed links they carry. Neutral
 * ground, so that neither e-mail activity file borrows from the other.
 */

export interface EmailDeps {
  dataSource: DataSource;
  mailer: Mailer;
  linkSecret: string;
  baseUrl: string;
  linkGraceHours: number;
  /** How long a claim on an outbox key holds without renewal; EMAIL_LEASE_MS when absent. */
  leaseMs?: number;
}

/**
 * A claim on an outbox key holds this long unless renewed; the sending attempt renews it every
 * EMAIL_LEASE_RENEW_MS for as long as its SMTP conversation lasts. An attempt whose worker died
 * stops renewing, and another may take the key over once the lease ran out.
 */
export const EMAIL_LEASE_MS = 20_000;
export const EMAIL_LEASE_RENEW_MS = 5_000;

export type { ContactRow };

/** The contacts with these ids (those that exist), as the e-mails address them. */
export async function findContacts(dataSource: DataSource, ids: string[]): Promise<ContactRow[]> {
  return new OrganisationsRepository(dataSource).contactsToEmail(ids);
}

/**
 * Sends `key` at most once at a time and never after it was marked sent:
 * - the attempt first claims the key's lease (NotificationsRepository.claimEmail); a key already
 *   `sent` answers false, one `failed` for good fails again without sending, and one whose lease
 *   another attempt holds fails retryably (EMAIL_LEASE_HELD) without sending: Temporal tries
 *   again later, when that attempt has marked it or its lease has run out;
 * - while the SMTP conversation lasts, the lease is renewed and the activity heartbeats, so a slow
 *   server is not taken for a dead worker and no second attempt sends beside this one;
 * - an SMTP 5xx marks the key `failed` and fails non-retryably (SMTP_PERMANENT_FAILURE); any other
 *   error gives the lease up and is retried.
 * The one way a key goes out twice: the server accepted the message, and the worker died (or the
 * connection broke before the server's answer arrived) before the `sent` mark. The next attempt
 * sends it again with the same Message-ID (derived from the key), which receivers de-duplicate.
 */
export async function sendOnce(
  deps: Pick<EmailDeps, 'dataSource' | 'mailer' | 'leaseMs'>,
  key: string,
  /** The partnership it is about; null for an e-mail about several (the weekly digest). */
  partnershipId: string | null,
  to: { name: string; address: string },
  render: () => RenderedEmail & Pick<OutgoingEmail, 'calendar'>,
): Promise<boolean> {
  const notifications = new NotificationsRepository(deps.dataSource);
  const leaseMs = deps.leaseMs ?? EMAIL_LEASE_MS;
  const claimId = randomUUID();
  const claim = await notifications.claimEmail(key, partnershipId, to.address, claimId, leaseMs);
  switch (claim.outcome) {
    case 'sent':
      return false;
    case 'failed':
      throw permanentFailure(claim.error);
    case 'held':
      throw ApplicationFailure.retryable(
        `e-mail ${key} is being sent by another attempt (its lease runs to ${claim.leaseExpiresAt.toISOString()})`,
        'EMAIL_LEASE_HELD',
      );
    case 'claimed':
      break;
  }
  heartbeat();
  let renewing = false;
  const keepAlive = setInterval(
    () => {
      heartbeat();
      if (renewing) return; // a renewal still waiting on the database: no pile-up
      renewing = true;
      notifications
        .renewLease(key, claimId, leaseMs)
        .catch(() => false)
        .finally(() => (renewing = false));
    },
    Math.min(EMAIL_LEASE_RENEW_MS, leaseMs / 4),
  );
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({ to, ...render(), notificationKey: key }));
  } catch (err) {
    const refusal = smtpRefusal(err);
    if (refusal) {
      await notifications.markFailed(key, claimId, refusal);
      throw permanentFailure(refusal);
    }
    await notifications.releaseLease(key, claimId).catch(() => undefined);
    throw err;
  } finally {
    clearInterval(keepAlive);
  }
  await notifications.markSent(key, messageId);
  return true;
}

/** Tells Temporal the activity is alive; a no-op outside an activity (integration tests). */
function heartbeat(): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return;
  }
  context.heartbeat();
}

/** An approval e-mail's link: signed for that approval and contact, valid past the deadline. */
export function approvalLink(
  deps: Pick<EmailDeps, 'linkSecret' | 'baseUrl' | 'linkGraceHours'>,
  claims: { approvalId: string; contactId: string; deadline: Date },
): string {
  const token = signApprovalLink(
    {
      approvalId: claims.approvalId,
      contactId: claims.contactId,
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

/** A knowledge-request e-mail's link: signed for that partnership and contact, for 30 days. */
export function knowledgeLink(
  deps: Pick<EmailDeps, 'linkSecret' | 'baseUrl'>,
  claims: { partnershipId: string; contactId: string },
  now: Date = new Date(),
): string {
  const token = signKnowledgeLink(
    { ...claims, expiresAt: knowledgeLinkExpiry(now) },
    deps.linkSecret,
    now,
  );
  return `${deps.baseUrl}/k/${token}`;
}

/** The web app's page of a partnership, where its coordinators act on it. */
export function partnershipPageLink(deps: Pick<EmailDeps, 'baseUrl'>, id: string): string {
  return `${deps.baseUrl}/partnerships/${encodeURIComponent(id)}`;
}

/** A 5xx SMTP reply (unknown mailbox, rejected sender) will not change on retry: its words. */
function smtpRefusal(err: unknown): string | undefined {
  const code = (err as { responseCode?: unknown }).responseCode;
  if (typeof code !== 'number' || code < 500 || code > 599) return undefined;
  return `SMTP server refused the message (${code})`;
}

/** The failure of an e-mail refused for good: Temporal does not retry it. */
function permanentFailure(refusal: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(refusal, 'SMTP_PERMANENT_FAILURE');
}
