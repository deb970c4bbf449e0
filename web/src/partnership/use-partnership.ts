import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { isTerminalStatus } from '../../../libs/domain/partnership';
import { api, call, type components } from '../api/client';

export type Partnership = components['schemas']['PartnershipView'];
export type Task = components['schemas']['TaskView'];
export type Organisation = components['schemas']['OrganisationView'];
export type Contact = components['schemas']['ContactView'];
export type Approval = components['schemas']['ApprovalRequestView'];
export type Stage = Partnership['stage'];

export const STAGES: Stage[] = [
  'introduction',
  'area_exploration',
  'knowledge_sharing',
  'project_proposal',
  'agreed',
];

export const keys = {
  partnership: (id: string) => ['partnership', id] as const,
  approvals: (id: string) => ['partnership', id, 'approvals'] as const,
  followUps: (id: string) => ['partnership', id, 'follow-ups'] as const,
  members: (id: string) => ['partnership', id, 'members'] as const,
  calendarEvents: (id: string) => ['partnership', id, 'calendar-events'] as const,
  insight: (id: string) => ['partnership', id, 'insight'] as const,
  workingCalendars: (id: string, from: string, days: number) =>
    ['partnership', id, 'working-calendars', from, days] as const,
};

export function usePartnership(id: string) {
  return useQuery({
    queryKey: keys.partnership(id),
    queryFn: () => call(() => api.GET('/api/v1/partnerships/{id}', { params: { path: { id } } })),
  });
}

export function useApprovals(id: string) {
  return useQuery({
    queryKey: keys.approvals(id),
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/partnerships/{id}/approvals', {
          params: { path: { id }, query: { pageSize: 100 } },
        }),
      ),
  });
}

export function useFollowUps(id: string) {
  return useQuery({
    queryKey: keys.followUps(id),
    queryFn: () =>
      call(() => api.GET('/api/v1/partnerships/{id}/follow-ups', { params: { path: { id } } })),
  });
}

export type WorkingCalendars = components['schemas']['WorkingCalendarsView'];

/** Each partner's working calendar and each contact's next `days` working days from `from`. */
export function useWorkingCalendars(id: string, from: string, days: number) {
  return useQuery({
    queryKey: keys.workingCalendars(id, from, days),
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/partnerships/{id}/working-calendars', {
          params: { path: { id }, query: { from, days } },
        }),
      ),
  });
}

/** Whose turn it is, waiting per side and time in the current stage (docs/analytics.md). */
export function usePartnershipInsight(id: string) {
  return useQuery({
    queryKey: keys.insight(id),
    queryFn: () =>
      call(() => api.GET('/api/v1/partnerships/{id}/insight', { params: { path: { id } } })),
  });
}

/** Everything the page shows of one partnership is read again (after an action or a live event). */
export function useRefreshPartnership(id: string): () => Promise<void> {
  const client = useQueryClient();
  return useCallback(
    () => client.invalidateQueries({ queryKey: ['partnership', id] }),
    [client, id],
  );
}

/** Contacts by id across the partnership's organisations, with their organisation. */
export function contactIndex(
  p: Partnership,
): Map<string, { contact: Contact; organisation: Organisation }> {
  const index = new Map<string, { contact: Contact; organisation: Organisation }>();
  for (const organisation of p.organisations) {
    for (const contact of organisation.contacts) index.set(contact.id, { contact, organisation });
  }
  return index;
}

export function allTasks(p: Partnership): Task[] {
  const byStage = p.tasksByStage;
  return [
    ...byStage.introduction,
    ...byStage.area_exploration,
    ...byStage.knowledge_sharing,
    ...byStage.project_proposal,
  ];
}

/** Agreed or closed: nothing about the partnership changes any more (the API refuses with 409). */
export function isEnded(p: Pick<Partnership, 'status'>): boolean {
  return isTerminalStatus(p.status);
}

export function nextStage(stage: Stage): Stage | undefined {
  const i = STAGES.indexOf(stage);
  return i >= 0 && i < STAGES.length - 1 ? STAGES[i + 1] : undefined;
}

export function previousStage(stage: Stage): Stage | undefined {
  const i = STAGES.indexOf(stage);
  return i > 0 ? STAGES[i - 1] : undefined;
}

/** A fresh Idempotency-Key, so a retried click never does a thing twice. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
