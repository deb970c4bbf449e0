import { DataSource } from 'typeorm';
import { ApprovalsRepository, OrganisationsRepository, PartnershipsRepository } from '@libs/db';
import { tasksFromTemplate, TimelineEvent } from '@libs/domain';
import type {
  PartnershipActivities,
  ProjectionSnapshot,
} from '@workflows/partnership/partnership.activities.contract';
import {
  partnershipWorkflowId,
  PartnershipWorkflowInput,
} from '@workflows/partnership/partnership.contract';
import type { WebhookOutbox } from '../webhooks/webhook-outbox';

/**
 * The partnership workflow's activities over PostgreSQL. Every statement is keyed by a business id
 * (`ON CONFLICT DO NOTHING`), and each activity is one transaction, so a retry after a crash, a
 * timeout or a replay writes nothing twice. With `webhooks`, the same transaction writes the
 * webhook deliveries of the new events, and their workflows start once it has committed.
 */
export function createPartnershipActivities(
  dataSource: DataSource,
  webhooks?: WebhookOutbox,
): Omit<
  PartnershipActivities,
  'sendApprovalEmails' | 'sendApprovalEmail' | 'sendFollowUpEmail' | 'sendKnowledgeRequestEmail'
> {
  const organisations = new OrganisationsRepository(dataSource);
  const partnerships = new PartnershipsRepository(dataSource);
  const approvals = new ApprovalsRepository(dataSource);
  return {
    async recordPartnership(input: PartnershipWorkflowInput, event: TimelineEvent): Promise<void> {
      const queued = await dataSource.transaction(async (tx) => {
        for (const org of input.organisations.filter((o) => o.isNew)) {
          await organisations.insertNew(tx, org);
        }
        await partnerships.insertRecorded(tx, {
          id: input.partnershipId,
          title: input.title,
          coordinatorName: input.coordinator.name,
          coordinatorEmail: input.coordinator.email,
          areas: input.areas,
          workflowId: partnershipWorkflowId(input.partnershipId),
          sequence: event.sequence,
          templateKey: input.template?.key ?? 'default',
          templateVersion: input.template?.version ?? 1,
          occurredAt: event.occurredAt,
          followUpPolicy: input.followUpPolicy ?? null,
          contactIds: input.contactIds ?? [],
        });
        await partnerships.upsertTasks(
          tx,
          input.partnershipId,
          tasksFromTemplate(input.template?.tasks ?? []),
          event.sequence,
        );
        await partnerships.linkOrganisations(
          tx,
          input.partnershipId,
          input.organisations.map((o) => o.id),
        );
        await partnerships.appendEvents(tx, input.partnershipId, [event]);
        const hasDeliveries = await webhooks?.enqueue(tx.query.bind(tx), input.partnershipId, [
          event,
        ]);
        await partnerships.notifyTimeline(tx, input.partnershipId, event.sequence);
        return hasDeliveries;
      });
      if (queued) await webhooks?.dispatch(input.partnershipId, [event.sequence]);
    },

    async projectChanges(snapshot: ProjectionSnapshot, events: TimelineEvent[]): Promise<void> {
      const queued = await dataSource.transaction(async (tx) => {
        // Partners who joined: rows written once, by id, before the partnership links them.
        for (const org of snapshot.addedOrganisations ?? []) {
          if (org.isNew) await organisations.insertNew(tx, org);
        }
        for (const { organisationId, ...contact } of snapshot.addedContacts ?? []) {
          await organisations.insertContact(tx, organisationId, contact);
        }
        await partnerships.applySnapshot(tx, snapshot);
        await partnerships.upsertTasks(
          tx,
          snapshot.partnershipId,
          snapshot.tasks,
          snapshot.sequence,
        );
        await approvals.upsertFromSnapshot(
          tx,
          snapshot.partnershipId,
          snapshot.approvals ?? [],
          snapshot.sequence,
        );
        await partnerships.appendEvents(tx, snapshot.partnershipId, events);
        const hasDeliveries = await webhooks?.enqueue(
          tx.query.bind(tx),
          snapshot.partnershipId,
          events,
        );
        await partnerships.notifyTimeline(tx, snapshot.partnershipId, snapshot.sequence);
        return hasDeliveries;
      });
      if (queued) {
        await webhooks?.dispatch(
          snapshot.partnershipId,
          events.map((e) => e.sequence),
        );
      }
    },
  };
}
