import { requireEnv, waitFor } from './stack';

export interface MailpitMessage {
  ID: string;
  Subject: string;
  To: { Address: string; Name: string }[];
  Text: string;
  HTML: string;
}

/** Messages Mailpit received for `address`, newest first, with their bodies. */
export async function messagesTo(address: string): Promise<MailpitMessage[]> {
  const api = requireEnv('TEST_MAILPIT_API');
  const res = await fetch(
    `${api}/api/v1/search?query=${encodeURIComponent(`to:"${address}"`)}&limit=100`,
  );
  const list = (await res.json()) as { messages: { ID: string }[] };
  return Promise.all(
    list.messages.map(
      async (m) => (await (await fetch(`${api}/api/v1/message/${m.ID}`)).json()) as MailpitMessage,
    ),
  );
}

/** Waits until `address` has received `count` messages, and returns them newest first. */
export async function awaitMessages(address: string, count: number): Promise<MailpitMessage[]> {
  return waitFor(
    async () => {
      const messages = await messagesTo(address);
      return messages.length >= count ? messages : undefined;
    },
    { timeoutMs: 30_000, what: `${count} e-mail(s) to ${address}` },
  );
}

/** The task link's token (`/t/<token>`) in an e-mail's text body. */
export function taskToken(message: MailpitMessage): string {
  const match = /\/t\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(message.Text);
  if (!match) throw new Error(`no task link in: ${message.Text}`);
  return match[1];
}

/** The approval link's token in an e-mail's text body. */
export function approvalToken(message: MailpitMessage): string {
  const match = /\/a\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(message.Text);
  if (!match) throw new Error(`no approval link in: ${message.Text}`);
  return match[1];
}

/** The event link's token (`/e/<token>`) in an e-mail's text body. */
export function eventToken(message: MailpitMessage): string {
  const match = /\/e\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(message.Text);
  if (!match) throw new Error(`no event link in: ${message.Text}`);
  return match[1];
}

/**
 * The message's `text/calendar` part as sent (decoded), and the Content-Type it came under
 * (`text/calendar; charset=utf-8; method=REQUEST`), read from the raw message.
 */
export async function calendarPart(
  message: MailpitMessage,
): Promise<{ contentType: string; content: string }> {
  const api = requireEnv('TEST_MAILPIT_API');
  const raw = await (await fetch(`${api}/api/v1/message/${message.ID}/raw`)).text();
  const header = /^Content-Type: (text\/calendar;[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/im.exec(raw);
  if (!header) throw new Error(`no text/calendar part in message ${message.ID}`);
  const part = raw.slice(header.index);
  const headersEnd = part.search(/\r?\n\r?\n/);
  const partHeaders = part.slice(0, headersEnd);
  const boundaryEnd = part.indexOf('\n--', headersEnd);
  const body = part.slice(headersEnd, boundaryEnd === -1 ? undefined : boundaryEnd).trim();
  const encoding = /Content-Transfer-Encoding: *([\w-]+)/i.exec(partHeaders)?.[1].toLowerCase();
  const content =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : body;
  return { contentType: header[1].replace(/\r?\n[ \t]+/g, ' '), content };
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
