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
