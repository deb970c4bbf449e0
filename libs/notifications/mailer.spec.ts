import { RunningMailpit, startMailpit } from '../../scripts/lib/mailpit';
import { renderApprovalRequestEmail, renderDecisionEmail } from '.';
import { createMailer, Mailer, NOTIFICATION_KEY_HEADER, notificationMessageId } from './mailer';

interface MailpitAddress {
  Name: string;
  Address: string;
}
interface MailpitSummary {
  ID: string;
  MessageID: string;
}
interface MailpitMessage extends MailpitSummary {
  From: MailpitAddress;
  To: MailpitAddress[];
  Subject: string;
  Text: string;
  HTML: string;
}

describe(notificationMessageId.name, () => {
  it('is derived from the key alone', () => {
    expect(notificationMessageId('abc-1')).toBe('<abc-1@entente>');
    expect(notificationMessageId('partnership:42/approval.7')).toBe(
      '<partnership%3A42/approval%2E7@entente>',
    );
    expect(notificationMessageId('k')).toBe(notificationMessageId('k'));
  });
  it.each(['', 'has space', 'line\nbreak', 'ключ', 'x'.repeat(201)])('refuses %j', (key) => {
    expect(() => notificationMessageId(key)).toThrow(RangeError);
  });
});

describe('mailer against Mailpit', () => {
  let mailpit: RunningMailpit;
  let mailer: Mailer;

  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${mailpit.apiUrl}/api/v1/${path}`);
    if (!res.ok) throw new Error(`Mailpit ${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  /** The one message Mailpit holds for this recipient (polls briefly: storage is asynchronous). */
  async function messageTo(address: string): Promise<MailpitMessage> {
    for (let attempt = 0; ; attempt++) {
      const found = await api<{ messages: MailpitSummary[] }>(
        `search?query=${encodeURIComponent(`to:${address}`)}`,
      );
      if (found.messages.length === 1) {
        const message = await api<MailpitMessage>(`message/${found.messages[0].ID}`);
        // SMTP carries CRLF line endings; compare with the LF text we rendered.
        return { ...message, Text: message.Text.replace(/\r\n/g, '\n') };
      }
      if (found.messages.length > 1 || attempt > 50)
        throw new Error(`expected one message to ${address}, found ${found.messages.length}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    mailpit = await startMailpit({ quiet: true });
    mailer = createMailer({
      smtpUrl: mailpit.smtpUrl,
      from: { name: 'Entente', address: 'no-reply@entente.example' },
    });
  }, 300_000);

  afterAll(async () => {
    mailer?.close();
    await mailpit?.stop();
  });

  beforeEach(async () => {
    const res = await fetch(`${mailpit.apiUrl}/api/v1/messages`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('answers SMTP', async () => {
    await expect(mailer.verify()).resolves.toBeUndefined();
  });

  it('delivers a Spanish approval request with its notification key', async () => {
    const link = 'https://entente.example/partnerships/42/approvals/7?tab=decide&x=1';
    const email = renderApprovalRequestEmail({
      language: 'es',
      recipientName: 'Lucía Fernández',
      partnershipTitle: 'Programa del Agua Valencia–Shanghái',
      subjectTitle: 'Presupuesto 2025',
      requestedBy: 'Wang Fang <script>x</script>',
      deadline: new Date('2025-03-03T13:00:00Z'),
      timeZone: 'Europe/Madrid',
      link,
    });
    const key = 'partnership:42/approval:7/request';
    const result = await mailer.send({
      to: { name: 'Lucía Fernández', address: 'lucia@example.es' },
      ...email,
      notificationKey: key,
    });
    expect(result.accepted).toEqual(['lucia@example.es']);
    expect(result.rejected).toEqual([]);
    expect(result.response).toMatch(/^250 /);
    expect(result.messageId).toBe(notificationMessageId(key));

    const message = await messageTo('lucia@example.es');
    expect(message.Subject).toBe(email.subject);
    expect(message.Subject).toContain('Solicitud de aprobación: Presupuesto 2025');
    expect(message.To).toEqual([{ Name: 'Lucía Fernández', Address: 'lucia@example.es' }]);
    expect(message.From).toEqual({ Name: 'Entente', Address: 'no-reply@entente.example' });
    expect(message.Text).toContain(`Revisar y decidir: ${link}`);
    expect(message.Text).toContain('lunes, 3 de marzo de 2025, 14:00');
    expect(message.HTML).toContain('Wang Fang &lt;script&gt;x&lt;/script&gt;');
    expect(message.MessageID).toBe('partnership%3A42/approval%3A7/request@entente');

    const headers = await api<Record<string, string[]>>(`message/${message.ID}/headers`);
    expect(headers[NOTIFICATION_KEY_HEADER]).toEqual([key]);
  });

  it('delivers Chinese intact (UTF-8 subject, names and bodies)', async () => {
    const link = 'https://entente.example/partnerships/42';
    const email = renderDecisionEmail({
      language: 'zh',
      bilingual: true,
      coordinatorName: '王芳',
      partnershipTitle: '瓦伦西亚—上海水资源项目',
      subjectTitle: '2025年预算',
      decision: 'rejected',
      decidedBy: '李伟',
      decidedAt: new Date('2025-03-03T13:00:00Z'),
      timeZone: 'Asia/Shanghai',
      comment: '请补充附件三。\n第二行：预算明细。',
      link,
    });
    const key = 'partnership-42-approval-7-decision';
    await mailer.send({
      to: { name: '王芳', address: 'wangfang@example.cn' },
      ...email,
      notificationKey: key,
      headers: { 'X-Entente-Partnership': '42', [NOTIFICATION_KEY_HEADER]: 'spoofed' },
    });

    const message = await messageTo('wangfang@example.cn');
    expect(message.Subject).toBe(email.subject);
    expect(
      message.Subject.startsWith('已驳回：2025年预算（瓦伦西亚—上海水资源项目） / Rejected:'),
    ).toBe(true);
    expect(message.To).toEqual([{ Name: '王芳', Address: 'wangfang@example.cn' }]);
    expect(message.Text).toContain('王芳，您好：');
    expect(message.Text).toContain('李伟 已于 2025年3月3日星期一 中国标准时间 21:00 驳回');
    expect(message.Text).toContain('> 请补充附件三。\n> 第二行：预算明细。');
    expect(message.Text).toContain(`打开合作项目：${link}`);
    expect(message.Text).toContain(`Open the partnership: ${link}`);
    expect(message.HTML).toContain('瓦伦西亚—上海水资源项目');
    expect(message.MessageID).toBe(`${key}@entente`);

    const headers = await api<Record<string, string[]>>(`message/${message.ID}/headers`);
    expect(headers[NOTIFICATION_KEY_HEADER]).toEqual([key]);
    expect(headers['X-Entente-Partnership']).toEqual(['42']);
  });

  it('gives a resend of the same notification the same Message-ID', async () => {
    const email = { subject: 'S', text: 'T', html: '<p>T</p>', notificationKey: 'dup-1' };
    const first = await mailer.send({ to: 'a@example.org', ...email });
    const second = await mailer.send({ to: 'a@example.org', ...email });
    expect(second.messageId).toBe(first.messageId);
  });
});
