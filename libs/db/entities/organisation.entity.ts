import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryColumn } from 'typeorm';
import * as column from './columns';
import type { OrganisationKind } from '../../domain';
import { ContactEntity } from './contact.entity';

@Entity({ name: 'organisations' })
@Index('IDX_organisations_name', ['name'])
export class OrganisationEntity {
  @PrimaryColumn('uuid') id: string;

  @column.Text() name: string;

  /** Region or province, e.g. "Valencian Community", "Sichuan". */
  @column.Text({ nullable: true }) region: string | null;

  /** ISO 3166-1 alpha-2 country code. */
  @Column({ type: 'char', length: 2 })
  country: string;

  @column.Text() kind: OrganisationKind;

  /**
   * Rises with each change of the organisation's closures, so that the re-plan it triggers is a
   * new workflow update even when the calendars come back to an earlier state.
   */
  @column.Integer({ name: 'calendar_revision', default: 0 }) calendarRevision: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @OneToMany(() => ContactEntity, (c) => c.organisation)
  contacts?: ContactEntity[];
}
