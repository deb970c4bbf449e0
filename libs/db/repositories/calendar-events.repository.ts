import type { DataSource } from 'typeorm';
import type { CalendarEventDetails } from '../../domain/calendar-events';
import type { CalendarEventAttendeeRow } from '../entities/calendar-event.entity';
import { CalendarEventEntity } from '../entities/calendar-event.entity';
import { rows } from './sql';

/** One snapshot of an event as its workflow projects it. */
export interface CalendarEventRecord extends CalendarEventDetails {
  id: string;
  partnershipId: string;
  status: CalendarEventEntity['status'];
  sequence: number;
  revision: number;
  organiser: CalendarEventEntity['organiser'];
  attendees: CalendarEventAttendeeRow[];
  followUpTaskId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The partnerships' events (`calendar_events`), written only by the event workflows' activities. */
export class CalendarEventsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Writes the snapshot unless a newer one (a higher revision) is there already: a retried or
   * late activity never takes an event back.
   */
  async record(e: CalendarEventRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO calendar_events
         (id, partnership_id, kind, title, starts_at, ends_at, online_url, place, task_id, status,
          sequence, revision, organiser, attendees, follow_up_task_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (id) DO UPDATE SET
         kind = EXCLUDED.kind, title = EXCLUDED.title, starts_at = EXCLUDED.starts_at,
         ends_at = EXCLUDED.ends_at, online_url = EXCLUDED.online_url, place = EXCLUDED.place,
         task_id = EXCLUDED.task_id, status = EXCLUDED.status, sequence = EXCLUDED.sequence,
         revision = EXCLUDED.revision, organiser = EXCLUDED.organiser,
         attendees = EXCLUDED.attendees, follow_up_task_id = EXCLUDED.follow_up_task_id,
         updated_at = EXCLUDED.updated_at
       WHERE calendar_events.revision < EXCLUDED.revision`,
      [
        e.id,
        e.partnershipId,
        e.kind,
        e.title,
        e.start,
        e.end,
        e.onlineUrl,
        e.place,
        e.taskId,
        e.status,
        e.sequence,
        e.revision,
        JSON.stringify(e.organiser),
        JSON.stringify(e.attendees),
        e.followUpTaskId,
        e.createdAt,
        e.updatedAt,
      ],
    );
  }

  /** The partnership's events, soonest first. */
  list(partnershipId: string): Promise<CalendarEventEntity[]> {
    return this.db.getRepository(CalendarEventEntity).find({
      where: { partnershipId },
      order: { startsAt: 'ASC', id: 'ASC' },
    });
  }

  /** One event of the partnership (undefined when it has no such event). */
  async find(partnershipId: string, id: string): Promise<CalendarEventEntity | undefined> {
    return (
      (await this.db.getRepository(CalendarEventEntity).findOneBy({ partnershipId, id })) ??
      undefined
    );
  }

  /** The partnership an event belongs to, for access checks of routes that name the event only. */
  async partnershipIdOf(id: string): Promise<string | undefined> {
    const [row] = await rows<{ partnership_id: string }>(
      this.db,
      `SELECT partnership_id FROM calendar_events WHERE id = $1`,
      [id],
    );
    return row?.partnership_id;
  }
}
