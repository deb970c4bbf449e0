import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { EventActor } from '../../domain';
import { PartnershipEntity } from './partnership.entity';

/**
 * Append-only timeline. The workflow numbers its events, so (partnership_id, sequence) is the
 * business key that makes every write idempotent: a retried activity inserts nothing twice.
 */
@Entity({ name: 'partnership_events' })
@Index('UQ_partnership_events_sequence', ['partnershipId', 'sequence'], { unique: true })
export class PartnershipEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @ManyToOne(() => PartnershipEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'partnership_id',
    foreignKeyConstraintName: 'FK_partnership_events_partnership',
  })
  partnership?: PartnershipEntity;

  @Column({ type: 'integer' })
  sequence: number;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'jsonb' })
  actor: EventActor;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;
}
