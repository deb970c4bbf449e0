import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

export const NOTIFICATION_KEY_HEADER = 'X-Entente-Notification-Key';
const MESSAGE_ID_DOMAIN = 'entente';

export type Address = string | { name: string; address: string };

export interface MailerOptions {
  /** smtp://[user:pass@]host:port or smtps://…; e.g. Mailpit's smtp://127.0.0.1:1025. */
  smtpUrl: string;
  /** Envelope and header sender. */
  from: Address;
}

export interface OutgoingEmail {
  to: Address | Address[];
  subject: string;
  text: string;
  html: string;
  /**
   * Business key of the notification, e.g. `partnership/42/approval/7/reminder/2`: printable
   * ASCII without spaces, at most 200 characters. The Message-ID is derived from it, so a resend
   * of the same notification carries the same Message-ID and receivers can de-duplicate.
   */
  notificationKey: string;
  /** Extra headers; they cannot override Message-ID or the notification-key header. */
  headers?: Record<string, string>;
  /**
   * An iCalendar object sent as the message's `text/calendar; method=…` alternative (and as an
   * `invite.ics` attachment, which nodemailer adds for clients that show only attachments).
   */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

export interface SendResult {
  messageId: string;
  /** Recipients the SMTP server accepted / rejected. */
  accepted: string[];
  rejected: string[];
  /** The server's final reply, e.g. `250 2.0.0 Ok: queued as …`. */
  response: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<SendResult>;
  /** Checks that the SMTP server answers (and accepts the credentials, if any). */
  verify(): Promise<void>;
  close(): void;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** The SMTP client's timeouts: each wait for the server ends after this long without an answer. */
export const SMTP_TIMEOUTS_MS = {
  dns: 10_000,
  connection: 10_000,
  greeting: 10_000,
  /** Silence on an open connection, per command. */
  socket: 30_000,
} as const;

/**
 * The commands one message can wait on after the greeting: EHLO, STARTTLS, EHLO again, up to three
 * for AUTH, MAIL FROM, RCPT TO (one recipient), DATA and the message's end.
 */
const SMTP_ROUND_TRIPS = 10;

/**
 * The longest a send to one recipient takes when every wait runs to its timeout. An e-mail
 * activity's start-to-close must be above it (workflows/partnership/activities.ts).
 */
export const SMTP_WORST_CASE_MS =
  SMTP_TIMEOUTS_MS.dns +
  SMTP_TIMEOUTS_MS.connection +
  SMTP_TIMEOUTS_MS.greeting +
  SMTP_ROUND_TRIPS * SMTP_TIMEOUTS_MS.socket;

/**
 * The Message-ID for a notification key: `<key@entente>`, with every character that is not
 * allowed in a Message-ID's local part (RFC 5322 atext; dots are encoded too) percent-encoded.
 */
export function notificationMessageId(key: string): string {
  if (!KEY_PATTERN.test(key))
    throw new RangeError('notificationKey must be 1-200 printable ASCII characters, no spaces');
  const local = key.replace(
    /[^A-Za-z0-9!#$&'*+\-/=?^_`{|}~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `<${local}@${MESSAGE_ID_DOMAIN}>`;
}

function addresses(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address)));
}

/** An SMTP mailer. It logs nothing: message bodies and recipients stay out of the logs. */
export function createMailer(options: MailerOptions): Mailer {
  const transportOptions: SMTPTransport.Options = {
    url: options.smtpUrl,
    dnsTimeout: SMTP_TIMEOUTS_MS.dns,
    connectionTimeout: SMTP_TIMEOUTS_MS.connection,
    greetingTimeout: SMTP_TIMEOUTS_MS.greeting,
    socketTimeout: SMTP_TIMEOUTS_MS.socket,
    logger: false,
    debug: false,
  };
  const transport = nodemailer.createTransport(transportOptions, { from: options.from });

  return {
    async send(email) {
      const messageId = notificationMessageId(email.notificationKey);
      const reserved = new Set(['message-id', NOTIFICATION_KEY_HEADER.toLowerCase()]);
      const extra = Object.entries(email.headers ?? {}).filter(
        ([name]) => !reserved.has(name.toLowerCase()),
      );
      const info = await transport.sendMail({
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        ...(email.calendar
          ? { icalEvent: { method: email.calendar.method, content: email.calendar.content } }
          : {}),
        messageId,
        headers: { ...Object.fromEntries(extra), [NOTIFICATION_KEY_HEADER]: email.notificationKey },
      });
      return {
        messageId: info.messageId,
        accepted: addresses(info.accepted),
        rejected: addresses(info.rejected),
        response: info.response,
      };
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}
