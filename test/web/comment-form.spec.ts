import { decideComment, MAX_COMMENT_LENGTH, type Commentable } from '@libs/domain';
import { AddCommentDto } from '../../apps/api/src/partnerships/partnership-comments.dto';
import { createValidationPipe } from '../../apps/api/src/platform/validation';
import type { components } from '../../web/src/api/schema';
import {
  attemptFor,
  commentBody,
  commentProblems,
  commentRecipients,
  type CommentAttempt,
} from '../../web/src/forms/comment-form';
import en from '../../web/src/i18n/en';
import es from '../../web/src/i18n/es';
import zh from '../../web/src/i18n/zh';

type Organisation = components['schemas']['OrganisationView'];
type Contact = components['schemas']['ContactView'];

/**
 * The comment box checks what the rule book (libs/domain/comments.ts) checks, in the words of
 * its codes; sends what AddCommentDto accepts; keeps one Idempotency-Key per attempt at the same
 * comment; and names whom the rule book e-mails.
 */
const accepts = async (body: unknown): Promise<unknown> =>
  createValidationPipe().transform(body, { type: 'body', metatype: AddCommentDto, data: '' });

const contact = (id: string, name: string, active = true): Contact => ({
  id,
  name,
  active,
  email: `${id}@partner.example`,
  language: 'es',
  role: null,
  timeZone: 'Europe/Madrid',
  workingHours: { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] },
});

const organisation = (id: string, name: string, contacts: Contact[]): Organisation => ({
  id,
  name,
  contacts,
  country: 'ES',
  kind: 'agency',
  region: null,
});

const raquel = contact('raquel', 'Raquel Aguado');
const pablo = contact('pablo', 'Pablo Ferrer', false);
const liWei = contact('li-wei', 'Li Wei');
const partners = {
  organisations: [
    organisation('ivace', 'IVACE', [raquel, pablo]),
    organisation('eiri', 'EIRI', [liWei]),
  ],
};

/** The rule book's view of the same partnership, with one task for `assignee`. */
const commentable = (assignee: string | null): Commentable => ({
  status: 'active',
  tasks: [{ id: 'task', title: 'Agenda', assigneeContactId: assignee, status: 'open' }],
  contactIds: [raquel.id, liWei.id],
  commentIds: [],
});

describe('comment box', () => {
  it('refuses a blank comment and one over the limit in the words of the rule book’s codes', () => {
    expect(commentProblems({ taskId: '', text: ' \n\t ' })).toEqual({
      text: [{ key: 'errors.COMMENT_REQUIRED' }],
    });
    const longest = 'a'.repeat(MAX_COMMENT_LENGTH);
    expect(commentProblems({ taskId: '', text: `  ${longest}\n` })).toEqual({});
    expect(commentProblems({ taskId: '', text: `${longest}b` })).toEqual({
      text: [{ key: 'errors.COMMENT_TOO_LONG' }],
    });
  });

  it.each([
    ['left blank', '   '],
    ['of a few words', 'Bring the agenda'],
    ['at the limit, with spaces around', ` ${'字'.repeat(MAX_COMMENT_LENGTH)} `],
    ['one character over', '字'.repeat(MAX_COMMENT_LENGTH + 1)],
    ['of emoji (counted as the rule book counts them)', '😀'.repeat(2001)],
  ])('agrees with the rule book on a comment %s', (_what, text) => {
    const client = commentProblems({ taskId: '', text }).text?.[0]?.key;
    const decision = decideComment(commentable(null), { commentId: 'c', text });
    expect(client).toBe(decision.ok ? undefined : `errors.${decision.code}`);
  });

  it('sends the text trimmed, with the task only when it is on one, as AddCommentDto accepts', async () => {
    const onPartnership = commentBody({ taskId: '', text: '  Line one\nLine two \n' });
    expect(onPartnership).toEqual({ text: 'Line one\nLine two' });
    const onTask = commentBody({ taskId: 'introduction.introductory_meeting', text: 'Agenda?' });
    expect(onTask).toEqual({ text: 'Agenda?', taskId: 'introduction.introductory_meeting' });
    await expect(accepts(onPartnership)).resolves.toEqual(onPartnership);
    await expect(accepts(onTask)).resolves.toEqual(onTask);
  });

  it('keeps the key while the same comment is sent again, and takes a new one for another', () => {
    let n = 0;
    const fresh = (): string => `key-${++n}`;
    const first = attemptFor(undefined, { text: 'Agenda?', taskId: 't1' }, fresh);
    expect(first.key).toBe('key-1');
    // A retry after a lost answer or a refusal: the same key, so it is recorded at most once.
    expect(attemptFor(first, { text: 'Agenda?', taskId: 't1' }, fresh)).toBe(first);
    // Edited, or about something else: a new key, or the API would answer `recorded: false`.
    const edited = attemptFor(first, { text: 'Agenda, please?', taskId: 't1' }, fresh);
    expect(edited.key).toBe('key-2');
    const elsewhere: CommentAttempt = attemptFor(edited, { text: 'Agenda, please?' }, fresh);
    expect(elsewhere.key).toBe('key-3');
    // After a success the box forgets the attempt: the same words again are a new comment.
    expect(attemptFor(undefined, { text: 'Agenda, please?' }, fresh).key).toBe('key-4');
  });

  it.each([
    ['a task whose assignee takes part', raquel.id, 'assignee'],
    ['a task whose assignee no longer takes part', pablo.id, 'everyone'],
    ['a task nobody has', null, 'everyone'],
  ])('names whom the rule book e-mails, for %s', (_what, assignee, kind) => {
    const recipients = commentRecipients(partners, { assigneeContactId: assignee });
    expect(recipients.kind).toBe(kind);
    const named =
      recipients.kind === 'assignee'
        ? [recipients.assignee.contact.id]
        : recipients.contacts.map((r) => r.contact.id);
    const decision = decideComment(commentable(assignee), {
      commentId: 'c',
      text: 'Agenda?',
      taskId: 'task',
    });
    expect(decision.ok && !decision.duplicate && decision.notify).toEqual({
      contactIds: named,
      coordinator: false,
    });
    if (recipients.kind === 'everyone') expect(recipients.taskWithoutAssignee).toBe(true);
  });

  it('names every contact who takes part, with their organisation, for the partnership', () => {
    const recipients = commentRecipients(partners, undefined);
    expect(recipients).toEqual({
      kind: 'everyone',
      taskWithoutAssignee: false,
      contacts: [
        { contact: raquel, organisation: partners.organisations[0] },
        { contact: liWei, organisation: partners.organisations[1] },
      ],
    });
  });

  it('says the limit in every language as the rule book has it', () => {
    for (const catalog of [en, es, zh]) {
      expect(catalog.errors.COMMENT_TOO_LONG.replace(/[,.\s]/g, '')).toContain(
        String(MAX_COMMENT_LENGTH),
      );
    }
  });
});
