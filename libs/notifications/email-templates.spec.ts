import {
  ApprovalExpiredEmailInput,
  ApprovalRequestEmailInput,
  EmailInputs,
  EmailKind,
  escapeHtml,
  formatCalendarDate,
  Language,
  LANGUAGES,
  MESSAGES,
  renderApprovalExpiredEmail,
  renderApprovalRequestEmail,
  renderDecisionEmail,
  renderEmail,
  renderEscalationEmail,
  renderReminderEmail,
  renderStageStalledEmail,
  renderTaskOverdueEmail,
  StageStalledEmailInput,
  TaskOverdueEmailInput,
} from '.';

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
    ['en', 'Escalation: no answer to Budget – Water', 'Ana, 李伟 and Bob <b>'],
    ['es', 'Escalado: sin respuesta a Budget – Water', 'Ana, 李伟 y Bob <b>'],
    ['zh', '升级通知：Budget（Water）审批仍无回复', 'Ana、李伟和Bob <b>'],
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

describe('renderDecisionEmail with the request’s final status', () => {
  const closing = (
    language: Language,
    decision: 'approved' | 'rejected',
    requestStatus?: 'approved' | 'rejected',
  ) =>
    renderDecisionEmail({
      language,
      coordinatorName: 'María',
      partnershipTitle: 'Water',
      subjectTitle: 'Budget',
      decision,
      requestStatus,
      decidedBy: '李伟',
      decidedAt: DEADLINE,
      timeZone: 'Europe/Madrid',
      comment: decision === 'rejected' ? 'Falta el anexo <3>.' : undefined,
      link: LINK,
    });

  it.each([
    ['en', 'approved', 'With this decision, the request is approved and now closed.'],
    ['en', 'rejected', 'With this decision, the request is rejected and now closed.'],
    ['es', 'approved', 'Con esta decisión, la solicitud queda aprobada y cerrada.'],
    ['es', 'rejected', 'Con esta decisión, la solicitud queda rechazada y cerrada.'],
    ['zh', 'approved', '至此，该审批请求已获批准并关闭。'],
    ['zh', 'rejected', '至此，该审批请求已被驳回并关闭。'],
  ] as const)('%s: a decision that closes the request as %s says so', (language, status, line) => {
    const email = closing(language, status, status);
    expect(email.text).toContain(line);
    expect(email.html).toContain(`<p>${line}</p>`);
    expect(closing(language, status).text).not.toContain(line);
  });

  it('carries the rejection comment, quoted and escaped, above the final status', () => {
    const email = closing('en', 'rejected', 'rejected');
    expect(email.subject).toBe('Rejected: Budget – Water');
    const comment = email.text.indexOf('> Falta el anexo <3>.');
    expect(comment).toBeGreaterThan(0);
    expect(email.text.indexOf('the request is rejected and now closed')).toBeGreaterThan(comment);
    expect(email.html).toContain('Falta el anexo &lt;3&gt;.');
  });

  it('without requestStatus, renders as before', () => {
    expect(closing('es', 'approved').text).not.toMatch(/cerrada/);
  });

  it('refuses a final status that contradicts the decision', () => {
    expect(() => closing('en', 'rejected', 'approved')).toThrow(/rejected decision/);
    expect(() => closing('en', 'approved', 'rejected')).toThrow(/approved decision/);
  });
});

const ATTACK = '<script>alert("x")</script>';
const ESCAPED_ATTACK = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';

function expectEscaped(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).toContain(ESCAPED_ATTACK);
}

describe(renderApprovalExpiredEmail.name, () => {
  const expired = (
    overrides: Partial<ApprovalExpiredEmailInput> = {},
  ): ApprovalExpiredEmailInput => ({
    language: 'en',
    coordinatorName: 'María',
    partnershipTitle: 'Water',
    subjectTitle: 'Budget',
    awaiting: ['Ana', '李伟', 'Bob <b>'],
    deadline: DEADLINE,
    timeZone: 'Asia/Shanghai',
    link: LINK,
    ...overrides,
  });

  it.each([
    [
      'en',
      'Approval request expired: Budget – Water',
      'Dear María,',
      'The approval request “Budget” for the partnership “Water” expired on Monday, 3 March 2025 at 21:00 China Standard Time before all decisions had been received.',
      'No answer was received from: Ana, 李伟 and Bob <b>.',
      `Open the partnership: ${LINK}`,
    ],
    [
      'es',
      'Solicitud de aprobación vencida: Budget – Water',
      'Estimado/a María:',
      'La solicitud de aprobación de «Budget» en la colaboración «Water» venció el lunes, 3 de marzo de 2025, 21:00 hora estándar de China, sin que se hubieran recibido todas las decisiones.',
      'No se recibió respuesta de: Ana, 李伟 y Bob <b>.',
      `Abrir la colaboración: ${LINK}`,
    ],
    [
      'zh',
      '审批请求已过期：Budget（Water）',
      'María，您好：',
      '合作项目“Water”中“Budget”的审批请求已于 2025年3月3日星期一 中国标准时间 21:00 过期，未能收齐全部审批决定。',
      '以下人员未作答复：Ana、李伟和Bob <b>。',
      `打开合作项目：${LINK}`,
    ],
  ] as const)('%s', (language, subject, greeting, intro, unanswered, link) => {
    const email = renderApprovalExpiredEmail(expired({ language }));
    expect(email.subject).toBe(subject);
    for (const line of [greeting, intro, unanswered, link]) expect(email.text).toContain(line);
    expect(email.html).toContain(`<html lang="${MESSAGES[language].locale}">`);
    expect(email.html).toContain(escapeHtml(intro));
    expect(email.html).toContain(escapeHtml(unanswered));
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain(`<a href="${escapeHtml(LINK)}"`);
  });

  it('escapes the titles and names in the HTML', () => {
    for (const language of LANGUAGES) {
      const email = renderApprovalExpiredEmail(
        expired({
          language,
          partnershipTitle: ATTACK,
          subjectTitle: ATTACK,
          coordinatorName: ATTACK,
          awaiting: [ATTACK],
        }),
      );
      expectEscaped(email.html);
      expect(email.text).toContain(ATTACK);
    }
  });

  it('refuses an empty list and an invalid deadline', () => {
    expect(() => renderApprovalExpiredEmail(expired({ awaiting: [] }))).toThrow(/awaiting/);
    expect(() => renderApprovalExpiredEmail(expired({ deadline: new Date('x') }))).toThrow(
      /deadline/,
    );
  });
});

describe(formatCalendarDate.name, () => {
  it.each([
    ['en', '3 March 2025'],
    ['es', '3 de marzo de 2025'],
    ['zh', '2025年3月3日'],
  ] as const)('%s', (language, expected) => {
    expect(formatCalendarDate('2025-03-03', language)).toBe(expected);
  });

  it('handles leap days and the turn of the year', () => {
    expect(formatCalendarDate('2024-02-29', 'en')).toBe('29 February 2024');
    expect(formatCalendarDate('2025-12-31', 'es')).toBe('31 de diciembre de 2025');
    expect(formatCalendarDate('2026-01-01', 'zh')).toBe('2026年1月1日');
  });

  it.each(['2025-02-29', '2025-13-01', '2025-3-3', '2025-03-03T00:00:00Z', '', '03/03/2025'])(
    'refuses %j',
    (value) => {
      expect(() => formatCalendarDate(value, 'en')).toThrow(/YYYY-MM-DD/);
    },
  );
});

describe(renderTaskOverdueEmail.name, () => {
  const overdue = (overrides: Partial<TaskOverdueEmailInput> = {}): TaskOverdueEmailInput => ({
    language: 'en',
    recipientName: 'Lucía Fernández',
    partnershipTitle: 'Water',
    taskTitle: 'Share the funding environment',
    dueDate: '2025-03-03',
    reminderNumber: 2,
    coordinatorName: 'Wang Fang',
    timeZone: 'Europe/Madrid',
    link: LINK,
    ...overrides,
  });

  it.each([
    [
      'en',
      'Overdue task (reminder 2): Share the funding environment – Water',
      [
        'Dear Lucía Fernández,',
        'The task “Share the funding environment” in the partnership “Water” was due on 3 March 2025 and has not been marked as completed yet.',
        'This is reminder no. 2.',
        'If you need more time or have any questions, please contact Wang Fang, who coordinates this partnership.',
        `Open the task: ${LINK}`,
      ],
    ],
    [
      'es',
      'Tarea vencida (recordatorio n.º 2): Share the funding environment – Water',
      [
        'Estimado/a Lucía Fernández:',
        'La tarea «Share the funding environment» de la colaboración «Water» debía completarse el 3 de marzo de 2025 y todavía no figura como completada.',
        'Este es el recordatorio n.º 2.',
        'Si necesita más tiempo o tiene alguna duda, póngase en contacto con Wang Fang, que coordina esta colaboración.',
        `Abrir la tarea: ${LINK}`,
      ],
    ],
    [
      'zh',
      '任务逾期提醒（第 2 次）：Share the funding environment（Water）',
      [
        'Lucía Fernández，您好：',
        '合作项目“Water”中的任务“Share the funding environment”应于 2025年3月3日 完成，目前尚未标记为已完成。',
        '这是第 2 次提醒。',
        '如需延期或有任何疑问，请联系本合作项目的协调人 Wang Fang。',
        `打开任务：${LINK}`,
      ],
    ],
  ] as const)('%s', (language, subject, lines) => {
    const email = renderTaskOverdueEmail(overdue({ language }));
    expect(email.subject).toBe(subject);
    for (const line of lines) {
      expect(email.text).toContain(line);
      expect(email.html).toContain(escapeHtml(line.replace(/[:：] ?https.*/, '')));
    }
    expect(email.html).toContain(`<html lang="${MESSAGES[language].locale}">`);
  });

  it('shows the due date as a calendar date, the same in every zone and without a time', () => {
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Shanghai']) {
      const email = renderTaskOverdueEmail(overdue({ timeZone, link: 'https://e.example/t/1' }));
      expect(email.text).toContain('was due on 3 March 2025 and');
      expect(email.text).not.toMatch(/\d:\d\d|Monday|Sunday|Tuesday/);
    }
  });

  it('escapes the titles and names in the HTML', () => {
    for (const language of LANGUAGES) {
      const email = renderTaskOverdueEmail(
        overdue({
          language,
          partnershipTitle: ATTACK,
          taskTitle: ATTACK,
          recipientName: ATTACK,
          coordinatorName: ATTACK,
        }),
      );
      expectEscaped(email.html);
      expect(email.text).toContain(ATTACK);
      expect(email.subject).toContain(ATTACK);
    }
  });

  it('keeps the subject on one line', () => {
    expect(renderTaskOverdueEmail(overdue({ taskTitle: 'Share\r\nfunding' })).subject).toBe(
      'Overdue task (reminder 2): Share funding – Water',
    );
  });

  it('refuses a bad due date or reminder number', () => {
    expect(() => renderTaskOverdueEmail(overdue({ dueDate: '2025-02-30' }))).toThrow(/YYYY-MM-DD/);
    expect(() => renderTaskOverdueEmail(overdue({ reminderNumber: 0 }))).toThrow(/reminderNumber/);
    expect(() => renderTaskOverdueEmail(overdue({ reminderNumber: 1.5 }))).toThrow(
      /reminderNumber/,
    );
  });
});

describe(renderStageStalledEmail.name, () => {
  const stalled = (overrides: Partial<StageStalledEmailInput> = {}): StageStalledEmailInput => ({
    language: 'en',
    coordinatorName: 'María',
    partnershipTitle: 'Water',
    stage: 'knowledge_sharing',
    lastActivityAt: DEADLINE,
    idleDays: 14,
    timeZone: 'Europe/Madrid',
    link: LINK,
    ...overrides,
  });

  it.each([
    [
      'en',
      'No activity for 14 days: Water',
      'The partnership “Water” has had no activity in the stage “Knowledge sharing” since Monday, 3 March 2025 at 14:00 Central European Standard Time (14 days).',
      'Please check whether the partners need support to move forward.',
      `Open the partnership: ${LINK}`,
    ],
    [
      'es',
      'Sin actividad desde hace 14 días: Water',
      'La colaboración «Water» no registra actividad en la etapa «Intercambio de conocimientos» desde el lunes, 3 de marzo de 2025, 14:00 hora estándar de Europa central (14 días).',
      'Le sugerimos comprobar si los socios necesitan apoyo para avanzar.',
      `Abrir la colaboración: ${LINK}`,
    ],
    [
      'zh',
      '合作项目停滞提醒：Water（14 天无动态）',
      '合作项目“Water”在“知识共享”阶段自 2025年3月3日星期一 中欧标准时间 14:00 起已 14 天没有任何动态。',
      '建议您了解合作伙伴是否需要支持，以便推进工作。',
      `打开合作项目：${LINK}`,
    ],
  ] as const)('%s', (language, subject, intro, suggestion, link) => {
    const email = renderStageStalledEmail(stalled({ language }));
    expect(email.subject).toBe(subject);
    for (const line of [intro, suggestion, link]) expect(email.text).toContain(line);
    expect(email.html).toContain(`<p>${escapeHtml(intro)}</p>`);
  });

  it.each([
    ['introduction', 'Introduction', 'Presentación', '相互介绍'],
    ['area_exploration', 'Area exploration', 'Exploración de áreas', '合作领域探索'],
    ['knowledge_sharing', 'Knowledge sharing', 'Intercambio de conocimientos', '知识共享'],
    [
      'project_proposal',
      'Concrete project proposal',
      'Propuesta de proyecto concreto',
      '具体项目提案',
    ],
  ] as const)('names the stage %s in every language', (stage, en, es, zh) => {
    expect(renderStageStalledEmail(stalled({ stage })).text).toContain(`stage “${en}”`);
    expect(renderStageStalledEmail(stalled({ stage, language: 'es' })).text).toContain(
      `etapa «${es}»`,
    );
    expect(renderStageStalledEmail(stalled({ stage, language: 'zh' })).text).toContain(
      `在“${zh}”阶段`,
    );
  });

  it('shows the last activity in the recipient’s zone', () => {
    // 23:30 UTC on Monday is already Tuesday in both Madrid and Shanghai.
    const lastActivityAt = new Date('2025-03-03T23:30:00Z');
    expect(renderStageStalledEmail(stalled({ lastActivityAt })).text).toContain(
      'since Tuesday, 4 March 2025 at 00:30',
    );
    expect(
      renderStageStalledEmail(
        stalled({ lastActivityAt, language: 'zh', timeZone: 'Asia/Shanghai' }),
      ).text,
    ).toContain('自 2025年3月4日星期二 中国标准时间 07:30 起');
    expect(
      renderStageStalledEmail(stalled({ lastActivityAt, timeZone: 'America/New_York' })).text,
    ).toContain('since Monday, 3 March 2025 at 18:30');
  });

  it('says “1 day” in the singular', () => {
    expect(renderStageStalledEmail(stalled({ idleDays: 1 })).subject).toBe(
      'No activity for 1 day: Water',
    );
    expect(renderStageStalledEmail(stalled({ idleDays: 1, language: 'es' })).subject).toBe(
      'Sin actividad desde hace 1 día: Water',
    );
  });

  it('escapes the titles and names in the HTML', () => {
    for (const language of LANGUAGES) {
      const email = renderStageStalledEmail(
        stalled({ language, partnershipTitle: ATTACK, coordinatorName: ATTACK }),
      );
      expectEscaped(email.html);
      expect(email.text).toContain(ATTACK);
    }
  });

  it('refuses the final stage, an unknown stage, idle days below 1 and an invalid date', () => {
    const agreed = { ...stalled(), stage: 'agreed' } as unknown as StageStalledEmailInput;
    expect(() => renderStageStalledEmail(agreed)).toThrow(/stage/);
    const toString = { ...stalled(), stage: 'toString' } as unknown as StageStalledEmailInput;
    expect(() => renderStageStalledEmail(toString)).toThrow(/stage/);
    expect(() => renderStageStalledEmail(stalled({ idleDays: 0 }))).toThrow(/idleDays/);
    expect(() => renderStageStalledEmail(stalled({ lastActivityAt: new Date('x') }))).toThrow(
      /lastActivityAt/,
    );
  });
});

describe('bilingual e-mails', () => {
  const common = {
    partnershipTitle: 'Valencia–Shanghai Water Programme',
    timeZone: 'Europe/Madrid',
    link: LINK,
  };
  const inputs: { [K in EmailKind]: Omit<EmailInputs[K], 'language'> } = {
    knowledgeRequest: {
      ...common,
      recipientName: 'Lucía',
      organisationName: 'IVACE',
      coordinatorName: 'Wang Fang',
      topics: [{ en: 'Funding environment', es: 'Entorno de financiación', zh: '融资环境' }],
    },
    approvalRequest: {
      ...common,
      subjectTitle: 'Budget',
      recipientName: 'Lucía',
      requestedBy: 'Wang Fang',
      deadline: DEADLINE,
    },
    reminder: {
      ...common,
      subjectTitle: 'Budget',
      recipientName: 'Lucía',
      requestedBy: 'Wang Fang',
      deadline: DEADLINE,
      reminderNumber: 1,
    },
    escalation: {
      ...common,
      subjectTitle: 'Budget',
      coordinatorName: 'Lucía',
      awaiting: ['Ana'],
      deadline: DEADLINE,
    },
    decision: {
      ...common,
      subjectTitle: 'Budget',
      coordinatorName: 'Lucía',
      decision: 'rejected',
      requestStatus: 'rejected',
      decidedBy: 'Ana',
      decidedAt: DEADLINE,
      comment: 'No',
    },
    approvalExpired: {
      ...common,
      subjectTitle: 'Budget',
      coordinatorName: 'Lucía',
      awaiting: ['Ana'],
      deadline: DEADLINE,
    },
    taskOverdue: {
      ...common,
      recipientName: 'Lucía',
      taskTitle: 'Seminar',
      dueDate: '2025-03-03',
      reminderNumber: 1,
      coordinatorName: 'Wang Fang',
    },
    comment: {
      ...common,
      recipientName: 'Lucía',
      authorName: 'Wang Fang',
      answerTo: { name: 'Wang Fang', email: 'wang.fang@example.org' },
      text: 'See the agenda',
      taskTitle: 'Seminar',
    },
    stageStalled: {
      ...common,
      coordinatorName: 'Lucía',
      stage: 'introduction',
      lastActivityAt: DEADLINE,
      idleDays: 10,
    },
    weeklyDigest: {
      timeZone: common.timeZone,
      link: LINK,
      recipientName: 'Lucía',
      from: new Date(DEADLINE.getTime() - 7 * 86_400_000),
      to: DEADLINE,
      advanced: [
        {
          partnershipTitle: common.partnershipTitle,
          stage: 'area_exploration',
          at: DEADLINE,
          link: 'https://entente.example/partnerships/42',
        },
      ],
      waiting: [],
      overdue: [],
    },
  };
  const kinds = Object.keys(inputs) as EmailKind[];
  const render = (kind: EmailKind, language: Language, bilingual?: boolean) =>
    renderEmail(kind, { ...inputs[kind], language } as EmailInputs[typeof kind], { bilingual });
  const SEPARATOR = '\n\n' + '-'.repeat(40) + '\n\n';
  const HR = '<hr style=';

  describe.each(kinds)('%s', (kind) => {
    it.each(['es', 'zh'] as const)(
      '%s: own language first, a separator, then the English copy',
      (language) => {
        const own = render(kind, language);
        const english = render(kind, 'en');
        const email = render(kind, language, true);

        expect(email.subject).toBe(`${own.subject} / ${english.subject}`);

        const [first, second, ...rest] = email.text.split(SEPARATOR);
        expect(rest).toHaveLength(0);
        expect(second).toBe(english.text);
        // The own-language part loses only the "-- " signature delimiter, so that mail clients
        // do not treat the English copy below it as a signature.
        expect(first + '\n').toBe(own.text.replace('-- \n', ''));
        expect(email.text.match(/^-- $/gm)).toHaveLength(1);

        const ownDiv = email.html.indexOf(`<div lang="${MESSAGES[language].locale}">`);
        const hr = email.html.indexOf(HR);
        const englishDiv = email.html.indexOf('<div lang="en-GB">');
        expect(ownDiv).toBeGreaterThan(0);
        expect(hr).toBeGreaterThan(ownDiv);
        expect(englishDiv).toBeGreaterThan(hr);
        expect(email.html.split(HR)).toHaveLength(2);
        expect(email.html).toContain(`<html lang="${MESSAGES[language].locale}">`);
        expect(email.html).toContain(`<title>${escapeHtml(email.subject)}</title>`);
      },
    );

    it('en: the English e-mail, unchanged', () => {
      expect(render(kind, 'en', true)).toEqual(render(kind, 'en'));
      expect(render(kind, 'en', true).html).not.toContain(HR);
    });

    it('the option overrides the input’s flag', () => {
      const input = {
        ...inputs[kind],
        language: 'es',
        bilingual: true,
      } as EmailInputs[typeof kind];
      expect(renderEmail(kind, input, { bilingual: false })).toEqual(render(kind, 'es'));
      expect(renderEmail(kind, input)).toEqual(render(kind, 'es', true));
    });

    it.each(LANGUAGES)(
      '%s: the link is a button, with its URL below as a link that wraps',
      (language) => {
        const { html } = render(kind, language);
        const [, button, fallback, ...more] = html.split(`<a href="${escapeHtml(LINK)}"`);
        expect(more).toHaveLength(0);
        expect(button).toMatch(/^ style="display:inline-block;[^"]*color:#ffffff;/);
        expect(button).toMatch(/^[^>]*background:#0b5cad">/);
        // The button's cell carries the colour too: clients that drop an <a>'s padding still paint it.
        expect(html).toContain('<td style="border-radius:6px;background:#0b5cad">');
        expect(fallback).toMatch(/^ style="[^"]*word-break:break-all;overflow-wrap:anywhere">/);
        expect(html).toContain(`${escapeHtml(MESSAGES[language].linkFallback({}))}<br>`);
        // The URL as text appears once, inside the wrapping link: never as a bare unbroken line.
        expect(html.split(escapeHtml(LINK))).toHaveLength(4); // two hrefs and one text
        expect(fallback).toContain(`>${escapeHtml(LINK)}</a>`);
      },
    );

    it('wears the app’s look: a white card with a grey border on the app’s background', () => {
      const { html } = render(kind, 'zh');
      expect(html).toContain('<body style="margin:0;padding:0;background:#f5f6f8;color:#1b1f24">');
      expect(html).toContain('background:#ffffff;border:1px solid #d0d7de;border-radius:8px');
      expect(html).toMatch(/font-family:[^;"]*'Noto Sans CJK SC'/);
      expect(html).toContain('font-size:16px');
      expect(html).not.toMatch(/#1f5fbf|#222\b|Helvetica/);
    });
  });

  it('escapes user text in both halves', () => {
    const email = renderTaskOverdueEmail({
      ...inputs.taskOverdue,
      language: 'zh',
      bilingual: true,
      taskTitle: ATTACK,
    });
    expect(email.html).not.toMatch(/<script/i);
    // Once in each half of the body (and twice in the <title>).
    const body = email.html.slice(email.html.indexOf('<body'));
    expect(body.split(ESCAPED_ATTACK)).toHaveLength(3);
  });

  it('renderEmail checks the input against the kind', () => {
    const input: EmailInputs['taskOverdue'] = { ...inputs.taskOverdue, language: 'en' };
    // @ts-expect-error a task input is not a stage-stalled input
    expect(() => renderEmail('stageStalled', input)).toThrow();
    // @ts-expect-error unknown kind
    expect(() => renderEmail('nope', input)).toThrow(/kind/);
  });
});

describe('generated words in the reader’s language', () => {
  const gate = {
    en: 'Close the Introduction stage',
    es: 'Cerrar la etapa',
    zh: '结束相互介绍阶段',
  };

  it('gives each section of a bilingual e-mail the title in its own language', () => {
    const email = renderApprovalRequestEmail(
      approval({ language: 'zh', bilingual: true, subjectTitle: gate }),
    );
    const [zh, en] = email.text.split('-'.repeat(40));
    expect(zh).toContain('“结束相互介绍阶段”');
    expect(zh).not.toContain('Close the Introduction stage');
    expect(en).toContain('“Close the Introduction stage”');
    expect(email.subject).toBe(
      '审批请求：结束相互介绍阶段（Valencia–Shanghai Water Programme） / ' +
        'Approval requested: Close the Introduction stage – Valencia–Shanghai Water Programme',
    );
    expect(email.html).toContain('“结束相互介绍阶段”');
  });

  it('translates a task title given per language, and keeps a plain one as written', () => {
    const overdue = (taskTitle: TaskOverdueEmailInput['taskTitle']) =>
      renderTaskOverdueEmail({
        language: 'es',
        partnershipTitle: 'Water',
        timeZone: 'Europe/Madrid',
        link: LINK,
        recipientName: 'Lucía',
        taskTitle,
        dueDate: '2025-03-03',
        reminderNumber: 1,
        coordinatorName: 'Wang Fang',
      });
    const words = { en: 'Hold the meeting', es: 'Celebrar la reunión', zh: '召开会议' };
    expect(overdue(words).subject).toContain('Celebrar la reunión');
    expect(overdue(words).text).not.toContain('Hold the meeting');
    expect(overdue('Visita a Chengdu').text).toContain('«Visita a Chengdu»');
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
