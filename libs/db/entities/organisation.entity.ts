import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryColumn } from 'typeorm';
import type { OrganisationKind } from '../../domain';
import { ContactEntity } from './contact.entity';

@Entity({ name: 'organisations' })
@Index('IDX_organisations_name', ['name'])
export class OrganisationEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Region or province, e.g. "Valencian Community", "Sichuan". */
  @Column({ type: 'text', nullable: true })
  region: string | null;

  /** ISO 3166-1 alpha-2 country code. */
  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'text' })
  kind: OrganisationKind;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @OneToMany(() => ContactEntity, (c) => c.organisation)
  contacts?: ContactEntity[];
}
