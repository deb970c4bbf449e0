import {
  FOLLOW_UP_KINDS,
  isLanguage,
  LANGUAGES,
  notificationKey,
  NotificationSubject,
} from './vocabulary';

describe(isLanguage.name, () => {
  it.each(LANGUAGES)('knows %s', (language) => {
    expect(isLanguage(language)).toBe(true);
  });
  it.each(['EN', 'fr', 'zh-CN', '', null, undefined, 1])('refuses %p', (value) => {
    expect(isLanguage(value)).toBe(false);
  });
});

describe('FOLLOW_UP_KINDS', () => {
  it('lists each kind once', () => {
    expect(new Set(FOLLOW_UP_KINDS).size).toBe(FOLLOW_UP_KINDS.length);
    expect(FOLLOW_UP_KINDS).toEqual([
      'approval-reminder',
      'approval-escalation',
      'task-overdue',
      'stage-stalled',
    ]);
  });
});

describe(notificationKey.name, () => {
  const partnershipId = 'p1';
  // Rows in the notifications outbox and `notification.failed` events already carry these keys:
  // a change would send e-mails again and record failures twice.
  it.each([
    [{ kind: 'approval-request', approvalId: 'a1', contactId: 'c1' }, 'approval/a1/request/c1'],
    [{ kind: 'approval-request', approvalId: 'a1' }, 'approval/a1/request'],
    [
      {
        kind: 'approval-reminder',
        partnershipId,
        approvalId: 'a1',
        contactId: 'c1',
        reminderNumber: 2,
      },
      'approval/a1/reminder/2/c1',
    ],
    [
      { kind: 'approval-escalation', partnershipId, approvalId: 'a1', awaiting: ['c1'] },
      'approval/a1/escalation/coordinator',
    ],
    [
      { kind: 'approval-closed', partnershipId, approvalId: 'a1', status: 'expired' },
      'approval/a1/expired/coordinator',
    ],
    [
      {
        kind: 'task-overdue',
        partnershipId,
        taskId: 'introduction.meeting',
        contactId: 'c1',
        dueDate: '2027-01-10',
        reminderNumber: 1,
      },
      'task/p1/introduction.meeting/2027-01-10/overdue/1/c1',
    ],
    [
      {
        kind: 'stage-stalled',
        partnershipId,
        stage: 'introduction',
        since: '2027-01-01T00:00:00.000Z',
        reminderNumber: 3,
      },
      'partnership/p1/stalled/2027-01-01T00:00:00.000Z/3/coordinator',
    ],
    [{ kind: 'webhook', deliveryId: 'd1' }, 'webhook/d1'],
    [{ kind: 'weekly-digest', userId: 'u1', week: '2026-W50' }, 'weekly-digest/u1/2026-W50'],
  ] satisfies [NotificationSubject, string][])('%j → %s', (subject, key) => {
    expect(notificationKey(subject)).toBe(key);
  });
});
