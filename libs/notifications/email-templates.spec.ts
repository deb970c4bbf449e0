import {
  ApprovalRequestEmailInput,
  escapeHtml,
  LANGUAGES,
  MESSAGES,
  renderApprovalRequestEmail,
  renderDecisionEmail,
  renderEscalationEmail,
  renderReminderEmail,
} from './email-templates';

/** 13:00 UTC: 14:00 in Madrid (CET), 21:00 in Shanghai. */
const DEADLINE = new Date('2025-03-03T13:00:00Z');
const LINK = 'https://entente.example/partnerships/42/approvals/7?tab=decide&lang=es';

const approval = (
  overrides: Partial<ApprovalRequestEmailInput> = {},
): ApprovalRequestEmailInput => ({
  language: 'en',
  recipientName: 'Lucía Fernández',
  partnershipTitle: 'Valencia–Shanghai Water Programme',
  subjectTitle: 'Budget 2025',
  requestedBy: 'Wang Fang',
  deadline: DEADLINE,
  timeZone: 'Europe/Madrid',
  link: LINK,
  ...overrides,
});

describe(renderApprovalRequestEmail.name, () => {
  it('writes English', () => {
    const email = renderApprovalRequestEmail(approval());
    expect(email.subject).toBe(
      'Approval requested: Budget 2025 – Valencia–Shanghai Water Programme',
    );
    expect(email.text).toContain('Dear Lucía Fernández,');
    expect(email.text).toContain(
      'Wang Fang has asked you to approve “Budget 2025” for the partnership “Valencia–Shanghai Water Programme”.',
    );
    expect(email.text).toContain('Please respond by Monday, 3 March 2025 at 14:00');
    expect(email.text).toContain(`Review and decide: ${LINK}`);
    expect(email.html).toContain('<html lang="en-GB">');
    expect(email.html).toContain(`<a href="${escapeHtml(LINK)}"`);
  });

  it('writes Spanish', () => {
    const email = renderApprovalRequestEmail(
      approval({ language: 'es', partnershipTitle: 'Programa del Agua Valencia–Shanghái' }),
    );
    expect(email.subject).toBe(
      'Solicitud de aprobación: Budget 2025 – Programa del Agua Valencia–Shanghái',
    );
    expect(email.text).toContain('Estimado/a Lucía Fernández:');
    expect(email.text).toContain(
      'Wang Fang le solicita que apruebe «Budget 2025» en la colaboración «Programa del Agua Valencia–Shanghái».',
    );
    expect(email.text).toContain('Plazo de respuesta: lunes, 3 de marzo de 2025, 14:00');
    expect(email.text).toContain(`Revisar y decidir: ${LINK}`);
    expect(email.text).toContain('Por favor, no responda a este correo electrónico.');
    expect(email.text).not.toMatch(/Dear|Please|Review/);
    expect(email.html).toContain('<html lang="es-ES">');
  });

  it('writes Chinese', () => {
    const email = renderApprovalRequestEmail(
      approval({
        language: 'zh',
        recipientName: '李伟',
        requestedBy: '王芳',
        partnershipTitle: '瓦伦西亚—上海水资源项目',
        subjectTitle: '2025年预算',
        timeZone: 'Asia/Shanghai',
      }),
    );
    expect(email.subject).toBe('审批请求：2025年预算（瓦伦西亚—上海水资源项目）');
    expect(email.text).toContain('李伟，您好：');
    expect(email.text).toContain(
      '王芳 请您审批合作项目“瓦伦西亚—上海水资源项目”中的“2025年预算”。',
    );
    expect(email.text).toContain('请于 2025年3月3日星期一');
    expect(email.text).toContain(`查看并审批：${LINK}`);
    expect(email.text).not.toMatch(/Dear|Please|Review/);
    expect(email.html).toContain('<html lang="zh-CN">');
  });

  it.each([
    ['es', 'Estimado/a', 'Solicitud de aprobación'],
    ['zh', '您好', '审批请求'],
  ] as const)(
    'bilingual %s: the recipient’s language first, then English',
    (language, greeting, subject) => {
      const email = renderApprovalRequestEmail(approval({ language, bilingual: true }));
      expect(email.subject.indexOf(subject)).toBe(0);
      expect(email.subject).toContain(' / Approval requested: ');
      const local = email.text.indexOf(greeting);
      const english = email.text.indexOf('Dear Lucía Fernández,');
      expect(local).toBeGreaterThanOrEqual(0);
      expect(english).toBeGreaterThan(local);
      const localHtml = email.html.indexOf(`<div lang="${MESSAGES[language].locale}">`);
      const englishHtml = email.html.indexOf('<div lang="en-GB">');
      expect(localHtml).toBeGreaterThanOrEqual(0);
      expect(englishHtml).toBeGreaterThan(localHtml);
      // The English half shows the deadline in the recipient's zone too.
      expect(email.text.slice(english)).toContain('Monday, 3 March 2025 at 14:00');
    },
  );

  it('bilingual English is English once', () => {
    const email = renderApprovalRequestEmail(approval({ bilingual: true }));
    expect(email.text.match(/Dear /g)).toHaveLength(1);
    expect(email).toEqual(renderApprovalRequestEmail(approval()));
  });

  it('escapes every interpolated value in the HTML, and keeps the text verbatim', () => {
    const attack = '<script>alert("x")</script> & \'co\'';
    const email = renderApprovalRequestEmail(
      approval({
        language: 'es',
        bilingual: true,
        recipientName: attack,
        partnershipTitle: attack,
        subjectTitle: attack,
        requestedBy: attack,
        link: 'https://entente.example/a?b="><script>alert(1)</script>',
      }),
    );
    expect(email.html).not.toMatch(/<script/i);
    expect(email.html).not.toContain('"><');
    expect(email.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;',
    );
    expect(email.text).toContain(attack);
    expect(email.subject).toContain('<script>');
  });

  it('shows the deadline in the recipient’s zone and locale: Madrid vs Shanghai', () => {
    // 20:00 UTC is still Monday evening in Madrid but already Tuesday morning in Shanghai.
    const deadline = new Date('2025-03-03T20:00:00Z');
    const madrid = renderApprovalRequestEmail(
      approval({ language: 'es', deadline, timeZone: 'Europe/Madrid' }),
    );
    const shanghai = renderApprovalRequestEmail(
      approval({ language: 'zh', deadline, timeZone: 'Asia/Shanghai' }),
    );
    expect(madrid.text).toContain(
      'Plazo de respuesta: lunes, 3 de marzo de 2025, 21:00 hora estándar de Europa central.',
    );
    expect(shanghai.text).toContain('请于 2025年3月4日星期二 中国标准时间 04:00 前回复。');
    // Summer time in Madrid.
    const summer = renderApprovalRequestEmail(
      approval({ deadline: new Date('2025-07-01T08:30:00Z'), timeZone: 'Europe/Madrid' }),
    );
    expect(summer.text).toContain('Tuesday, 1 July 2025 at 10:30 Central European Summer Time');
  });

  it('refuses non-http links, unknown zones and invalid dates', () => {
    expect(() => renderApprovalRequestEmail(approval({ link: 'javascript:alert(1)' }))).toThrow(
      /http/,
    );
    expect(() => renderApprovalRequestEmail(approval({ link: '/relative' }))).toThrow(/absolute/);
    expect(() => renderApprovalRequestEmail(approval({ timeZone: 'Mars/Olympus' }))).toThrow(
      /time zone/,
    );
    expect(() => renderApprovalRequestEmail(approval({ deadline: new Date('nope') }))).toThrow(
      /deadline/,
    );
  });

  it('keeps subjects on one line', () => {
    const email = renderApprovalRequestEmail(approval({ subjectTitle: 'Budget\r\n2025' }));
    expect(email.subject).toBe(
      'Approval requested: Budget 2025 – Valencia–Shanghai Water Programme',
    );
  });
});

describe(renderReminderEmail.name, () => {
  it.each([
    ['en', 'Reminder 2: approval pending for Budget 2025', 'This is reminder no. 2'],
    ['es', 'Recordatorio n.º 2: aprobación pendiente de Budget 2025', 'aviso n.º 2'],
    ['zh', '第 2 次提醒：Budget 2025', '第 2 次提醒：Wang Fang 提交的'],
  ] as const)('%s', (language, subject, body) => {
    const email = renderReminderEmail({ ...approval({ language }), reminderNumber: 2 });
    expect(email.subject.startsWith(subject)).toBe(true);
    expect(email.text).toContain(body);
    expect(email.text).toContain(LINK);
  });

  it('refuses a reminder number below 1', () => {
    expect(() => renderReminderEmail({ ...approval(), reminderNumber: 0 })).toThrow();
  });
});

describe(renderEscalationEmail.name, () => {
  const escalation = (language: 'en' | 'es' | 'zh') =>
    renderEscalationEmail({
      language,
      coordinatorName: 'María',
      partnershipTitle: 'Water',
      subjectTitle: 'Budget',
      awaiting: ['Ana', '李伟', 'Bob <b>'],
      deadline: DEADLINE,
      timeZone: 'Asia/Shanghai',
      link: LINK,
    });

  it.each([
    ['en', 'Escalation: approval overdue for Budget – Water', 'Ana, 李伟 and Bob <b>'],
    ['es', 'Escalado: plazo de aprobación vencido para Budget – Water', 'Ana, 李伟 y Bob <b>'],
    ['zh', '升级通知：Budget（Water）审批已逾期', 'Ana、李伟和Bob <b>'],
  ] as const)('%s lists who is awaited in the language’s own way', (language, subject, names) => {
    const email = escalation(language);
    expect(email.subject).toBe(subject);
    expect(email.text).toContain(names);
    expect(email.text).toMatch(/21:00/);
    expect(email.html).toContain('Bob &lt;b&gt;');
    expect(email.html).not.toContain('<b>');
  });

  it('refuses an empty list', () => {
    expect(() =>
      renderEscalationEmail({
        language: 'en',
        coordinatorName: 'María',
        partnershipTitle: 'Water',
        subjectTitle: 'Budget',
        awaiting: [],
        deadline: DEADLINE,
        timeZone: 'UTC',
        link: LINK,
      }),
    ).toThrow(/awaiting/);
  });
});

describe(renderDecisionEmail.name, () => {
  const decision = (
    language: 'en' | 'es' | 'zh',
    kind: 'approved' | 'rejected',
    comment?: string,
  ) =>
    renderDecisionEmail({
      language,
      coordinatorName: 'María',
      partnershipTitle: 'Water',
      subjectTitle: 'Budget',
      decision: kind,
      decidedBy: '李伟',
      decidedAt: DEADLINE,
      timeZone: 'Europe/Madrid',
      comment,
      link: LINK,
    });

  it.each([
    ['en', 'approved', 'Approved: Budget – Water', '李伟 approved “Budget”'],
    ['en', 'rejected', 'Rejected: Budget – Water', '李伟 rejected “Budget”'],
    ['es', 'approved', 'Solicitud aprobada: Budget – Water', '李伟 aprobó «Budget»'],
    ['es', 'rejected', 'Solicitud rechazada: Budget – Water', '李伟 rechazó «Budget»'],
    ['zh', 'approved', '已批准：Budget（Water）', '批准合作项目“Water”中的“Budget”'],
    ['zh', 'rejected', '已驳回：Budget（Water）', '驳回合作项目“Water”中的“Budget”'],
  ] as const)('%s %s', (language, kind, subject, body) => {
    const email = decision(language, kind, 'Falta el anexo <3>.\nVer línea 3.');
    expect(email.subject).toBe(subject);
    expect(email.text).toContain(body);
    expect(email.text).toContain('> Falta el anexo <3>.\n> Ver línea 3.');
    expect(email.html).toContain('Falta el anexo &lt;3&gt;.<br>\nVer línea 3.');
  });

  it.each([
    ['en', 'No comment was given.'],
    ['es', 'No se añadió ningún comentario.'],
    ['zh', '未填写审批意见。'],
  ] as const)('%s says when there is no comment', (language, none) => {
    expect(decision(language, 'approved', '  ').text).toContain(none);
  });
});

describe('MESSAGES', () => {
  it('has a table for every language with the same shape', () => {
    const shape = (o: object): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' ? shape(v).map((s) => `${k}.${s}`) : [k],
      );
    const en = shape(MESSAGES.en).sort();
    for (const language of LANGUAGES) expect(shape(MESSAGES[language]).sort()).toEqual(en);
  });
});
