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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @OneToMany(() => ContactEntity, (c) => c.organisation)
  contacts?: ContactEntity[];
}
