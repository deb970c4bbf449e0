import {
  CreateDateColumn,
  Entity,
  Index,
  JoinTable,
  ManyToMany,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import * as column from './columns';
import type { FollowUpPolicy, PartnershipStatus, Stage } from '../../domain';
import { OrganisationEntity } from './organisation.entity';

/** Read model of a partnership, written only by the partnership workflow's activities. */
@Entity({ name: 'partnerships' })
@Index('IDX_partnerships_stage_status', ['stage', 'status'])
@Index('IDX_partnerships_last_activity', ['lastActivityAt'])
export class PartnershipEntity {
  @PrimaryColumn('uuid') id: string;

  @column.Text() title: string;

  @column.Text() stage: Stage;

  @column.Text() status: PartnershipStatus;

  @column.Text({ name: 'coordinator_name' }) coordinatorName: string;

  @column.Text({ name: 'coordinator_email' }) coordinatorEmail: string;

  /** Areas of cooperation, in the coordinator's words. */
  @column.Json() areas: string[];

  @column.Text({ name: 'template_key' }) templateKey: string;

  @column.Integer({ name: 'template_version' }) templateVersion: number;

  /** Last change of any kind; the board sorts by it. */
  @column.Timestamp({ name: 'last_activity_at' }) lastActivityAt: Date;

  /**
   * When the current stage was entered, as the workflow projects it (null in runs from before
   * gates and templates): a gate request made before counts no more.
   */
  @column.Timestamp({ name: 'gate_consent_since', nullable: true }) gateConsentSince: Date | null;

  /** Follow-up settings as the workflow last projected them; null before follow-ups existed. */
  @column.Json({ name: 'follow_up_policy', nullable: true }) followUpPolicy: FollowUpPolicy | null;

  /**
   * Contacts of its organisations who no longer take part in this partnership (deactivated), as
   * the workflow projects them: they are asked nothing and assigned nothing here.
   */
  @column.Json({ name: 'inactive_contact_ids', default: () => `'[]'` })
  inactiveContactIds: string[];

  /**
   * The contacts of its organisations who take part, as the workflow has them: the valid
   * approvers and assignees. Contacts belong to organisations: one added through another
   * partnership of the organisation is listed here only once added here too.
   */
  @column.Json({ name: 'contact_ids', default: () => `'[]'` })
  contactIds: string[];

  @column.Text({ name: 'workflow_id' }) workflowId: string;

  /** Last timeline sequence applied to this row; guards against out-of-order projection writes. */
  @column.Integer({ name: 'last_sequence', default: 0 }) lastSequence: number;

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
