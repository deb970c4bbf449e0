import { Entity, Index, PrimaryColumn } from 'typeorm';
import type {
  CalendarEventAttendeeView,
  CalendarEventKind,
  CalendarEventStatus,
} from '../../domain/calendar-events';
import type { Language } from '../../domain/vocabulary';
import * as column from './columns';
import { PartnershipEntity } from './partnership.entity';

export type CalendarEventAttendeeRow = CalendarEventAttendeeView;

/**
 * Projection of a partnership's events (meetings, seminars, training), written only by the event
 * workflow's activities; `revision` orders the snapshots, so an older one never overwrites a newer.
 */
@Entity({ name: 'calendar_events' })
@Index('IDX_calendar_events_partnership_start', ['partnershipId', 'startsAt'])
export class CalendarEventEntity {
  @PrimaryColumn('uuid') id: string;

  @column.Uuid({ name: 'partnership_id' }) partnershipId: string;

  @column.BelongsTo(() => PartnershipEntity, 'partnership_id', 'FK_calendar_events_partnership')
  partnership?: PartnershipEntity;

  @column.Text() kind: CalendarEventKind;

  @column.Text() title: string;

  @column.Timestamp({ name: 'starts_at' }) startsAt: Date;

  @column.Timestamp({ name: 'ends_at' }) endsAt: Date;

  @column.Text({ name: 'online_url', nullable: true }) onlineUrl: string | null;

  @column.Text({ nullable: true }) place: string | null;

  /** The partnership's task the event fulfils (a meeting task of the stage template), or null. */
  @column.Text({ name: 'task_id', nullable: true }) taskId: string | null;

  @column.Text() status: CalendarEventStatus;

  /** The iCalendar SEQUENCE: raised by each change the invitations carry (edit, cancel). */
  @column.Integer() sequence: number;

  /** Raised by every change, answers included. */
  @column.Integer() revision: number;

  @column.Json() organiser: { userId: string; name: string; email: string; language: Language };

  @column.Json() attendees: CalendarEventAttendeeRow[];

  /** The coordinator's follow-up task (minutes, next steps) once the event has ended. */
  @column.Text({ name: 'follow_up_task_id', nullable: true }) followUpTaskId: string | null;

  @column.Timestamp({ name: 'created_at' }) createdAt: Date;

  @column.Timestamp({ name: 'updated_at' }) updatedAt: Date;
}
