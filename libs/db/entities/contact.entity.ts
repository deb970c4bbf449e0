import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import * as column from './columns';
import type { Language, WorkingHours } from '../../domain';
import { OrganisationEntity } from './organisation.entity';

@Entity({ name: 'contacts' })
@Index('UQ_contacts_organisation_email', ['organisationId', 'email'], { unique: true })
export class ContactEntity {
  @PrimaryColumn('uuid') id: string;

  @column.Uuid({ name: 'organisation_id' }) organisationId: string;

  @column.BelongsTo(
    () => OrganisationEntity,
    'organisation_id',
    'FK_contacts_organisation',
    (o) => o.contacts,
  )
  organisation?: OrganisationEntity;

  @column.Text() name: string;

  /** Stored lower-cased. */
  @column.Text() email: string;

  @column.Text({ nullable: true }) role: string | null;

  @column.Text() language: Language;

  /** IANA time zone, e.g. Europe/Madrid. */
  @column.Text({ name: 'time_zone' }) timeZone: string;

  @column.Json({ name: 'working_hours' }) workingHours: WorkingHours;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
