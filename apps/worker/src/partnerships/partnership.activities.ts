import { DataSource } from 'typeorm';
import { ApprovalsRepository, OrganisationsRepository } from '../../../../libs/db';
import { Task, tasksFromTemplate, TimelineEvent } from '../../../../libs/domain';
import type {
  PartnershipActivities,
  ProjectionSnapshot,
} from '../../../../workflows/partnership/partnership.activities.contract';
import {
  partnershipWorkflowId,
  PartnershipWorkflowInput,
} from '../../../../workflows/partnership/partnership.contract';
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
): Omit<PartnershipActivities, 'sendApprovalEmails' | 'sendFollowUpEmail'> {
  const organisations = new OrganisationsRepository(dataSource);
  const approvals = new ApprovalsRepository(dataSource);
  return {
    async recordPartnership(input: PartnershipWorkflowInput, event: TimelineEvent): Promise<void> {
      const queued = await dataSource.transaction(async (tx) => {
        for (const org of input.organisations.filter((o) => o.isNew)) {
          await organisations.insertNew(tx, org);
        }
        await tx.query(
          `INSERT INTO partnerships (id, title, stage, status, coordinator_name, coordinator_email, areas,
                                     workflow_id, last_sequence, template_key, template_version,
                                     created_at, updated_at, last_activity_at, follow_up_policy)
           VALUES ($1, $2, 'introduction', 'active', $3, $4, $5, $6, $7, $8, $9, $10, $10, $10, $11)
           ON CONFLICT (id) DO NOTHING`,
          [
            input.partnershipId,
            input.title,
            input.coordinator.name,
            input.coordinator.email,
            JSON.stringify(input.areas),
            partnershipWorkflowId(input.partnershipId),
            event.sequence,
            input.template?.key ?? 'default',
            input.template?.version ?? 1,
            event.occurredAt,
            input.followUpPolicy ? JSON.stringify(input.followUpPolicy) : null,
          ],
        );
        await upsertTasks(
          tx.query.bind(tx),
          input.partnershipId,
          tasksFromTemplate(input.template?.tasks ?? []),
          event.sequence,
        );
        await tx.query(
          `INSERT INTO partnership_organisations (partnership_id, organisation_id)
           SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
          [input.partnershipId, input.organisations.map((o) => o.id)],
        );
        await insertEvents(tx.query.bind(tx), input.partnershipId, [event]);
        const hasDeliveries = await webhooks?.enqueue(tx.query.bind(tx), input.partnershipId, [
          event,
        ]);
        await notify(tx.query.bind(tx), input.partnershipId, event.sequence);
        return hasDeliveries;
      });
      if (queued) await webhooks?.dispatch(input.partnershipId, [event.sequence]);
    },

    async projectChanges(snapshot: ProjectionSnapshot, events: TimelineEvent[]): Promise<void> {
      const queued = await dataSource.transaction(async (tx) => {
        const query = tx.query.bind(tx);
        // Only a newer snapshot moves the row; a retry of an applied batch changes nothing.
        await query(
          `UPDATE partnerships
              SET stage = $2, status = $3, last_sequence = $4, last_activity_at = $5, updated_at = now(),
                  follow_up_policy = COALESCE($6::jsonb, follow_up_policy)
            WHERE id = $1 AND last_sequence < $4`,
          [
            snapshot.partnershipId,
            snapshot.stage,
            snapshot.status,
            snapshot.sequence,
            snapshot.occurredAt,
            snapshot.followUpPolicy ? JSON.stringify(snapshot.followUpPolicy) : null,
          ],
        );
        await upsertTasks(query, snapshot.partnershipId, snapshot.tasks, snapshot.sequence);
        await approvals.upsertFromSnapshot(
          tx,
          snapshot.partnershipId,
          snapshot.approvals ?? [],
          snapshot.sequence,
        );
        await insertEvents(query, snapshot.partnershipId, events);
        const hasDeliveries = await webhooks?.enqueue(query, snapshot.partnershipId, events);
        await notify(query, snapshot.partnershipId, snapshot.sequence);
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

/** Wakes the API's live timeline streams (delivered on commit, dropped on rollback). */
async function notify(query: Query, partnershipId: string, sequence: number): Promise<void> {
  await query(`SELECT pg_notify('partnership_events', $1)`, [
    JSON.stringify({ partnershipId, sequence }),
  ]);
}

/** Upserts task rows from a snapshot; a row already at a newer sequence is left alone. */
async function upsertTasks(
  query: Query,
  partnershipId: string,
  tasks: Task[],
  sequence: number,
): Promise<void> {
  if (tasks.length === 0) return;
  await query(
    `INSERT INTO partnership_tasks (partnership_id, id, stage, position, title, required, kind, status,
                                    assignee_contact_id, due_date, source, completed_at, updated_sequence)
     SELECT $1, t.id, t.stage, t.position, t.title, t.required, t.kind, t.status,
            t.assignee_contact_id, t.due_date, t.source, t.completed_at, $3
       FROM jsonb_to_recordset($2::jsonb) AS t(id text, stage text, position int, title text, required boolean,
            kind text, status text, assignee_contact_id uuid, due_date date, source text, completed_at timestamptz)
     ON CONFLICT (partnership_id, id) DO UPDATE
        SET stage = EXCLUDED.stage, position = EXCLUDED.position, title = EXCLUDED.title,
            required = EXCLUDED.required, kind = EXCLUDED.kind, status = EXCLUDED.status,
            assignee_contact_id = EXCLUDED.assignee_contact_id, due_date = EXCLUDED.due_date,
            source = EXCLUDED.source, completed_at = EXCLUDED.completed_at,
            updated_sequence = EXCLUDED.updated_sequence
      WHERE partnership_tasks.updated_sequence < EXCLUDED.updated_sequence`,
    [
      partnershipId,
      JSON.stringify(
        tasks.map((t, position) => ({
          id: t.id,
          stage: t.stage,
          position,
          title: t.title,
          required: t.required,
          kind: t.kind,
          status: t.status,
          assignee_contact_id: t.assigneeContactId,
          due_date: t.dueDate,
          source: t.source,
          completed_at: t.completedAt,
        })),
      ),
      sequence,
    ],
  );
}

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/** Appends timeline events in one statement; (partnership_id, sequence) makes it idempotent. */
async function insertEvents(
  query: Query,
  partnershipId: string,
  events: TimelineEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await query(
    `INSERT INTO partnership_events (partnership_id, sequence, type, actor, occurred_at, payload)
     SELECT $1, e.sequence, e.type, e.actor, e.occurred_at, e.payload
       FROM jsonb_to_recordset($2::jsonb)
         AS e(sequence int, type text, actor jsonb, occurred_at timestamptz, payload jsonb)
     ON CONFLICT (partnership_id, sequence) DO NOTHING`,
    [
      partnershipId,
      JSON.stringify(
        events.map((e) => ({
          sequence: e.sequence,
          type: e.type,
          actor: e.actor,
          occurred_at: e.occurredAt,
          payload: e.payload,
        })),
      ),
    ],
  );
}
