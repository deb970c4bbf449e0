import { renderEmail } from './render-email';
import { renderWeeklyDigestEmail, weeklyDigestCounts } from './emails/weekly-digest';
import type { WeeklyDigestEmailInput } from './emails/weekly-digest';

const BASE = 'https://entente.example';
const page = (id: string) => `${BASE}/partnerships/${id}`;

function digest(overrides: Partial<WeeklyDigestEmailInput> = {}): WeeklyDigestEmailInput {
  return {
    language: 'en',
    timeZone: 'Asia/Kolkata',
    link: `${BASE}/`,
    recipientName: 'Priya',
    from: new Date('2026-11-30T03:30:00Z'),
    to: new Date('2026-12-07T03:30:00Z'),
    advanced: [
      {
        partnershipTitle: 'Valencia–Pune Water',
        stage: 'area_exploration',
        at: new Date('2026-12-02T10:00:00Z'),
        link: page('p1'),
      },
    ],
    waiting: [
      {
        partnershipTitle: 'Valencia–Pune Water',
        organisationName: 'IVACE',
        approvals: 2,
        tasks: 1,
        link: page('p1'),
      },
      {
        partnershipTitle: 'Lyon <Kochi>',
        organisationName: 'Kochi Metro',
        approvals: 0,
        tasks: 1,
        link: page('p2'),
      },
    ],
    overdue: [
      {
        partnershipTitle: 'Lyon <Kochi>',
        taskTitle: { en: 'Kick-off call', es: 'Llamada inicial', zh: '启动电话' },
        dueDate: '2026-12-01',
        link: page('p2'),
      },
    ],
    ...overrides,
  };
}

describe(renderWeeklyDigestEmail.name, () => {
  it('counts in the subject what its sections list', () => {
    expect(weeklyDigestCounts(digest())).toEqual({ advanced: 1, waiting: 4, overdue: 1 });
    const email = renderWeeklyDigestEmail(digest());
    expect(email.subject).toBe(
      'Your week in Entente: 1 advanced, 4 waiting on partners, 1 overdue',
    );
  });

  it('lists what advanced, what waits on whom and what is overdue, each with its page', () => {
    const { text } = renderWeeklyDigestEmail(digest());
    expect(text).toContain('Dear Priya,');
    // The period's days in the recipient's zone.
    expect(text).toContain('from 30 November 2026 to 7 December 2026.');
    expect(text).toContain(
      [
        'What advanced (1)',
        '',
        '- Valencia–Pune Water: now in “Area exploration” since Wednesday, 2 December 2026 at 15:30 India Standard Time',
        `  ${page('p1')}`,
      ].join('\n'),
    );
    expect(text).toContain(
      [
        'What waits on whom (4)',
        '',
        '- Valencia–Pune Water: IVACE – 2 approvals pending, 1 open task',
        `  ${page('p1')}`,
        '- Lyon <Kochi>: Kochi Metro – 0 approvals pending, 1 open task',
        `  ${page('p2')}`,
      ].join('\n'),
    );
    expect(text).toContain(
      [
        'What is overdue (1)',
        '',
        '- Kick-off call – Lyon <Kochi> (due 1 December 2026)',
        `  ${page('p2')}`,
      ].join('\n'),
    );
    expect(text).toContain('(Asia/Kolkata)');
    expect(text).toContain(`Open the board: ${BASE}/`);
  });

  it('says so when a section has nothing', () => {
    const { text, html } = renderWeeklyDigestEmail(digest({ advanced: [], overdue: [] }));
    expect(text).toContain('What advanced (0)\n\nNothing this week.');
    expect(text).toContain('What is overdue (0)\n\nNothing this week.');
    expect(html.match(/<ul /g)).toHaveLength(1);
  });

  it('links each item in the HTML part, its words escaped', () => {
    const { html } = renderWeeklyDigestEmail(digest());
    expect(html).toContain('<h2 style=');
    expect(html).toContain(
      `<a href="${page('p2')}" style="color:#0b5cad">Kick-off call – Lyon &lt;Kochi&gt; (due 1 December 2026)</a>`,
    );
    expect(html).not.toContain('<Kochi>');
  });

  it('speaks Spanish and Chinese, with their plurals and template words', () => {
    const es = renderEmail('weeklyDigest', digest({ language: 'es' }));
    expect(es.subject).toBe(
      'Su semana en Entente – avances: 1; pendientes de los socios: 4; vencidas: 1',
    );
    expect(es.text).toContain('IVACE – 2 aprobaciones pendientes, 1 tarea abierta');
    expect(es.text).toContain('Llamada inicial – Lyon <Kochi> (vencía el 1 de diciembre de 2026)');
    const zh = renderEmail('weeklyDigest', digest({ language: 'zh' }));
    expect(zh.subject).toBe('您的 Entente 周报：1 项推进，4 项等待合作伙伴，1 项逾期');
    expect(zh.text).toContain('IVACE – 2 项审批待处理，1 项未完成任务');
    expect(zh.text).toContain('启动电话');
  });

  it('refuses a waiting entry with nothing waiting, and invalid dates', () => {
    const none = digest().waiting[0];
    expect(() =>
      renderWeeklyDigestEmail(digest({ waiting: [{ ...none, approvals: 0, tasks: 0 }] })),
    ).toThrow(RangeError);
    expect(() => renderWeeklyDigestEmail(digest({ from: new Date('x') }))).toThrow(/from/);
    expect(() =>
      renderWeeklyDigestEmail(digest({ overdue: [{ ...digest().overdue[0], dueDate: '1 Dec' }] })),
    ).toThrow(RangeError);
  });
});
