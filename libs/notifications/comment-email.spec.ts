import { renderCommentEmail, type CommentEmailInput } from '.';

const LINK = 'https://entente.example/t/abc.def';

function input(over: Partial<CommentEmailInput> = {}): CommentEmailInput {
  return {
    language: 'es',
    partnershipTitle: 'Valencia – Chengdu',
    timeZone: 'Europe/Madrid',
    recipientName: 'Raquel',
    authorName: 'Ana Programme Officer',
    answerTo: { name: 'Ana Programme Officer', email: 'ana@iurc.example' },
    text: 'El seminario pasa al martes.\nTraed la agenda.',
    ...over,
  };
}

describe(renderCommentEmail.name, () => {
  it('quotes a comment on a task in the recipient’s language, with their task link', () => {
    const email = renderCommentEmail(
      input({
        taskTitle: { en: 'Hold the seminar', es: 'Celebrar el seminario', zh: '举办研讨会' },
        link: LINK,
      }),
    );
    expect(email.subject).toBe('Un comentario sobre «Celebrar el seminario» – Valencia – Chengdu');
    expect(email.text).toContain(
      'Ana Programme Officer ha comentado la tarea «Celebrar el seminario» de la colaboración «Valencia – Chengdu»:',
    );
    expect(email.text).toContain('El seminario pasa al martes.');
    expect(email.text).toContain(LINK);
    expect(email.text).toContain(
      'Para responder, escriba a Ana Programme Officer (ana@iurc.example), que coordina esta colaboración.',
    );
    expect(email.html).toContain(`href="${LINK}"`);
  });

  it('tells of a comment on the partnership in Chinese with no link, and English below when bilingual', () => {
    const email = renderCommentEmail(input({ language: 'zh', bilingual: true }));
    expect(email.subject).toBe(
      '关于合作项目“Valencia – Chengdu”的评论 / A comment on the partnership “Valencia – Chengdu”',
    );
    expect(email.text).toContain(
      'Ana Programme Officer 对合作项目“Valencia – Chengdu”发表了评论：',
    );
    expect(email.text).toContain('Ana Programme Officer commented on the partnership');
    expect(email.html).not.toContain('href=');
  });

  it('tells the coordinator of a partner’s comment with the partnership’s page, naming no one to answer', () => {
    const email = renderCommentEmail({
      language: 'en',
      partnershipTitle: 'Valencia – Chengdu',
      timeZone: 'Europe/Madrid',
      recipientName: 'Ana',
      authorName: '李伟',
      text: 'Done on Tuesday',
      taskTitle: 'Hold the seminar',
      link: 'https://entente.example/partnerships/42',
      linkTo: 'partnership',
    });
    expect(email.subject).toBe('A comment on “Hold the seminar” – Valencia – Chengdu');
    expect(email.text).toContain('李伟 commented on the task “Hold the seminar”');
    expect(email.text).toContain('Open the partnership');
    expect(email.text).not.toContain('To answer');
  });

  it('escapes what the coordinator wrote', () => {
    const email = renderCommentEmail(input({ text: '<script>alert("x")</script>' }));
    expect(email.html).not.toContain('<script>alert');
    expect(email.html).toContain('&lt;script&gt;');
  });

  it('refuses a link that is not http(s)', () => {
    expect(() => renderCommentEmail(input({ link: 'javascript:alert(1)' }))).toThrow(/link/);
  });
});
