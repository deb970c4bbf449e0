import { Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import * as column from './columns';
import { OrganisationEntity } from './organisation.entity';

/**
 * A day an organisation is closed although its country's calendar says it works (a summer week,
 * the days between Christmas and New Year), set by an admin. Every working calendar of the
 * organisation (reminders, the working days, the meeting-time finder) counts it as a day off.
 */
@Entity({ name: 'organisation_closures' })
export class OrganisationClosureEntity {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @column.BelongsTo(
    () => OrganisationEntity,
    'organisation_id',
    'FK_organisation_closures_organisation',
  )
  organisation?: OrganisationEntity;

  /** The local date, "YYYY-MM-DD". */
  @PrimaryColumn({ type: 'date' })
  date: string;

  @column.Text() name: string;

  /** The admin who set it last. */
  @column.Uuid({ name: 'updated_by' }) updatedBy: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
