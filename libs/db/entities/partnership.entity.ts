import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinTable,
  ManyToMany,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { FollowUpPolicy, PartnershipStatus, Stage } from '../../domain';
import { OrganisationEntity } from './organisation.entity';

/** Read model of a partnership, written only by the partnership workflow's activities. */
@Entity({ name: 'partnerships' })
@Index('IDX_partnerships_stage_status', ['stage', 'status'])
@Index('IDX_partnerships_last_activity', ['lastActivityAt'])
export class PartnershipEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  stage: Stage;

  @Column({ type: 'text' })
  status: PartnershipStatus;

  @Column({ name: 'coordinator_name', type: 'text' })
  coordinatorName: string;

  @Column({ name: 'coordinator_email', type: 'text' })
  coordinatorEmail: string;

  /** Areas of cooperation, in the coordinator's words. */
  @Column({ type: 'jsonb' })
  areas: string[];

  @Column({ name: 'template_key', type: 'text' })
  templateKey: string;

  @Column({ name: 'template_version', type: 'integer' })
  templateVersion: number;

  /** Last change of any kind; the board sorts by it. */
  @Column({ name: 'last_activity_at', type: 'timestamptz' })
  lastActivityAt: Date;

  /** Follow-up settings as the workflow last projected them; null before follow-ups existed. */
  @Column({ name: 'follow_up_policy', type: 'jsonb', nullable: true })
  followUpPolicy: FollowUpPolicy | null;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId: string;

  /** Last timeline sequence applied to this row; guards against out-of-order projection writes. */
  @Column({ name: 'last_sequence', type: 'integer', default: 0 })
  lastSequence: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @ManyToMany(() => OrganisationEntity)
  @JoinTable({
    name: 'partnership_organisations',
    joinColumn: {
      name: 'partnership_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'FK_partnership_organisations_partnership',
    },
    inverseJoinColumn: {
      name: 'organisation_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'FK_partnership_organisations_organisation',
    },
  })
  organisations?: OrganisationEntity[];
}
