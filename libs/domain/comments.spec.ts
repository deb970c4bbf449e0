import {
  decideComment,
  MAX_COMMENT_LENGTH,
  REMEMBERED_COMMENTS,
  rememberComment,
  type Commentable,
} from './comments';

const RAQUEL = 'contact-raquel';
const LI = 'contact-li';
const GONE = 'contact-gone';

function partnership(over: Partial<Commentable> = {}): Commentable {
  return {
    status: 'active',
    tasks: [
      { id: 'meeting', title: 'Hold the meeting', assigneeContactId: LI, status: 'open' },
      { id: 'minutes', title: 'Share the minutes', assigneeContactId: null, status: 'open' },
      { id: 'left', title: 'Old task', assigneeContactId: GONE, status: 'open' },
    ],
    contactIds: [RAQUEL, LI],
    commentIds: [],
    ...over,
  };
}

describe(decideComment.name, () => {
  it('records a comment on the partnership, trimmed, and tells every contact who takes part', () => {
    expect(decideComment(partnership(), { commentId: 'c1', text: '  See the agenda  ' })).toEqual({
      ok: true,
      duplicate: false,
      event: { type: 'comment.added', payload: { commentId: 'c1', text: 'See the agenda' } },
      notify: { contactIds: [RAQUEL, LI], coordinator: false },
    });
  });

  it('tells the coordinator of a partner contact’s comment, from a contact who takes part only', () => {
    const byLi = decideComment(
      partnership(),
      { commentId: 'c4', text: 'Done on Tuesday', taskId: 'meeting' },
      { kind: 'contact', contactId: LI },
    );
    expect(byLi).toMatchObject({ ok: true, notify: { contactIds: [], coordinator: true } });
    const byGone = decideComment(
      partnership(),
      { commentId: 'c5', text: 'Hello' },
      { kind: 'contact', contactId: GONE },
    );
    expect(byGone).toMatchObject({ ok: false, code: 'CONTACT_NOT_FOUND' });
  });

  it('tells a task’s assignee alone, and everyone when the task has none who takes part', () => {
    const onTask = (taskId: string) =>
      decideComment(partnership(), { commentId: 'c2', text: 'Moved to Tuesday', taskId });
    expect(onTask('meeting')).toMatchObject({
      event: { payload: { taskId: 'meeting', title: 'Hold the meeting' } },
      notify: { contactIds: [LI] },
    });
    expect(onTask('minutes')).toMatchObject({ notify: { contactIds: [RAQUEL, LI] } });
    expect(onTask('left')).toMatchObject({ notify: { contactIds: [RAQUEL, LI] } });
  });

  it('takes the same comment again as a duplicate, even once the partnership has ended, and refuses another under its id', () => {
    const first = { commentId: 'c1', text: 'See the agenda' };
    const p = partnership({ commentIds: rememberComment([], first), status: 'closed' });
    expect(decideComment(p, { ...first, text: '  See the agenda ' })).toEqual({
      ok: true,
      duplicate: true,
    });
    expect(decideComment(p, { ...first, text: 'Something else' })).toMatchObject({
      ok: false,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(decideComment(p, { ...first, taskId: 'meeting' })).toMatchObject({
      ok: false,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('refuses an empty or overlong comment, an unknown task, and an ended partnership', () => {
    const code = (p: Commentable, text: string, taskId?: string): string => {
      const d = decideComment(p, { commentId: 'c3', text, taskId });
      return d.ok ? 'accepted' : d.code;
    };
    expect(code(partnership(), '   ')).toBe('COMMENT_REQUIRED');
    expect(code(partnership(), 'x'.repeat(MAX_COMMENT_LENGTH))).toBe('accepted');
    expect(code(partnership(), 'x'.repeat(MAX_COMMENT_LENGTH + 1))).toBe('COMMENT_TOO_LONG');
    expect(code(partnership(), 'Hello', 'nope')).toBe('TASK_NOT_FOUND');
    expect(code(partnership({ status: 'agreed' }), 'Hello')).toBe('PARTNERSHIP_AGREED');
    expect(code(partnership({ status: 'closed' }), 'Hello')).toBe('PARTNERSHIP_CLOSED');
    expect(code(partnership({ status: 'paused' }), 'Hello')).toBe('accepted');
  });
});

describe(rememberComment.name, () => {
  it('keeps the latest REMEMBERED_COMMENTS ids', () => {
    let ids: string[] = [];
    for (let i = 0; i < REMEMBERED_COMMENTS + 5; i += 1) {
      ids = rememberComment(ids, { commentId: `c${i}`, text: 'x' });
    }
    expect(ids).toHaveLength(REMEMBERED_COMMENTS);
    expect(ids[0]).toMatch(/^c5:/);
    expect(ids.at(-1)).toMatch(new RegExp(`^c${REMEMBERED_COMMENTS + 4}:`));
  });
});
