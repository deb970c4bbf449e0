import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import type { Language, WorkingHours } from '../../domain';
import { OrganisationEntity } from './organisation.entity';

@Entity({ name: 'contacts' })
@Index('UQ_contacts_organisation_email', ['organisationId', 'email'], { unique: true })
export class ContactEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @ManyToOne(() => OrganisationEntity, (o) => o.contacts, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'FK_contacts_organisation' })
  organisation?: OrganisationEntity;

  @Column({ type: 'text' })
  name: string;

  /** Stored lower-cased. */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text', nullable: true })
  role: string | null;

  @Column({ type: 'text' })
  language: Language;

  /** IANA time zone, e.g. Europe/Madrid. */
  @Column({ name: 'time_zone', type: 'text' })
  timeZone: string;

  @Column({ name: 'working_hours', type: 'jsonb' })
  workingHours: WorkingHours;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
