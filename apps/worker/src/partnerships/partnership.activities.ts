import { DataSource } from 'typeorm';
import type { TimelineEvent } from '../../../../libs/domain';
import type { PartnershipActivities } from '../../../../workflows/partnership/partnership.activities.contract';
import {
  partnershipWorkflowId,
  PartnershipWorkflowInput,
} from '../../../../workflows/partnership/partnership.contract';

/**
 * The partnership workflow's activities over PostgreSQL. Every statement is keyed by a business id
 * (`ON CONFLICT DO NOTHING`), and each activity is one transaction, so a retry after a crash, a
 * timeout or a replay writes nothing twice.
 */
export function createPartnershipActivities(dataSource: DataSource): PartnershipActivities {
  return {
    async recordPartnership(input: PartnershipWorkflowInput, event: TimelineEvent): Promise<void> {
      await dataSource.transaction(async (tx) => {
        for (const org of input.organisations.filter((o) => o.isNew)) {
          await tx.query(
            `INSERT INTO organisations (id, name, region, country, kind)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
            [org.id, org.name, org.region, org.country, org.kind],
          );
          for (const c of org.contacts) {
            await tx.query(
              `INSERT INTO contacts (id, organisation_id, name, email, role, language, time_zone, working_hours)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
              [
                c.id,
                org.id,
                c.name,
                c.email,
                c.role,
                c.language,
                c.timeZone,
                JSON.stringify(c.workingHours),
              ],
            );
          }
        }
        await tx.query(
          `INSERT INTO partnerships (id, title, stage, status, coordinator_name, coordinator_email, areas,
                                     workflow_id, last_sequence, created_at, updated_at)
           VALUES ($1, $2, 'introduction', 'active', $3, $4, $5, $6, $7, $8, $8)
           ON CONFLICT (id) DO NOTHING`,
          [
            input.partnershipId,
            input.title,
            input.coordinator.name,
            input.coordinator.email,
            JSON.stringify(input.areas),
            partnershipWorkflowId(input.partnershipId),
            event.sequence,
            event.occurredAt,
          ],
        );
        await tx.query(
          `INSERT INTO partnership_organisations (partnership_id, organisation_id)
           SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
          [input.partnershipId, input.organisations.map((o) => o.id)],
        );
        await insertEvents(tx.query.bind(tx), input.partnershipId, [event]);
      });
    },
  };
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
