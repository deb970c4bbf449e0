import { approvalToken, MailpitMessage, messagesTo } from './mailpit';
import { http, waitFor } from './stack';

/*
 * Partners' consent as a partner gives it: the approval e-mail in their mailbox, its signed link
 * followed, the form posted. For tests that drive partnerships through gates that need consent
 * and tasks only the partners' approval completes (default template version 2).
 */

/** The approval request a link's token names (its payload's `a` claim). */
function approvalIdOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
    return typeof payload.a === 'string' ? payload.a : undefined;
  } catch {
    return undefined;
  }
}

/** The e-mail asking `address` to decide on `approvalId` (waits until it arrives). */
export async function approvalEmail(address: string, approvalId: string): Promise<MailpitMessage> {
  return waitFor(
    async () =>
      (await messagesTo(address)).find((m) => {
        const match = /\/a\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(m.Text);
        return match !== null && approvalIdOf(match[1]) === approvalId;
      }),
    { timeoutMs: 30_000, what: `the e-mail to ${address} about approval ${approvalId}` },
  );
}

/** Posts a decision on the approval page the e-mail links to; answers the page's status. */
export async function decideByLink(
  baseUrl: string,
  address: string,
  approvalId: string,
  decision: 'approve' | 'reject',
  comment?: string,
): Promise<number> {
  const token = approvalToken(await approvalEmail(address, approvalId));
  const res = await fetch(`${baseUrl}/a/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ decision, ...(comment ? { comment } : {}) }).toString(),
  });
  await res.text();
  return res.status;
}

/** Asks the partners (every contact, the API's default rule) for a gate's or a task's approval. */
export async function requestApproval(
  baseUrl: string,
  partnershipId: string,
  subject: { kind: 'gate' } | { kind: 'task'; taskId: string },
): Promise<string> {
  const res = await http('POST', `${baseUrl}/api/v1/partnerships/${partnershipId}/approvals`, {
    subject,
    deadline: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
  });
  if (res.status !== 201)
    throw new Error(`approval request: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/**
 * Opens the current stage's gate as the partnership's people would: the coordinator completes
 * its open required tasks, the partners approve (through their links) the tasks only their
 * approval completes, and, when the gate needs it, its consent. `partners` are the contacts'
 * addresses, one per organisation. Answers the detail with the gate open.
 */
export async function openGate(
  baseUrl: string,
  partnershipId: string,
  partners: string[],
): Promise<Record<string, any>> {
  const detailUrl = `${baseUrl}/api/v1/partnerships/${partnershipId}`;
  let detail = (await http('GET', detailUrl)).body;
  const tasks = Object.values(detail.tasksByStage as Record<string, any[]>).flat();
  for (const blocker of detail.gate.blockers as { kind: string; taskId?: string }[]) {
    if (blocker.kind !== 'task') continue;
    const task = tasks.find((t) => t.id === blocker.taskId);
    if (task?.answeredBy === 'partners') {
      const approvalId = await requestApproval(baseUrl, partnershipId, {
        kind: 'task',
        taskId: task.id,
      });
      for (const address of partners) await decideByLink(baseUrl, address, approvalId, 'approve');
    } else {
      const res = await http('POST', `${detailUrl}/tasks/${blocker.taskId}/complete`, {});
      if (res.status !== 200) throw new Error(`complete ${blocker.taskId}: ${res.status}`);
    }
  }
  detail = (await http('GET', detailUrl)).body;
  if (detail.gate.consent.required && detail.gate.consent.status !== 'approved') {
    const approvalId = await requestApproval(baseUrl, partnershipId, { kind: 'gate' });
    for (const address of partners) await decideByLink(baseUrl, address, approvalId, 'approve');
    detail = (await http('GET', detailUrl)).body;
  }
  if (!detail.gate.open) throw new Error(`gate still closed: ${JSON.stringify(detail.gate)}`);
  return detail;
}
