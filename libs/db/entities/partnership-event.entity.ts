import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import * as column from './columns';
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

  @column.Uuid({ name: 'partnership_id' }) partnershipId: string;

  @column.BelongsTo(() => PartnershipEntity, 'partnership_id', 'FK_partnership_events_partnership')
  partnership?: PartnershipEntity;

  @column.Integer() sequence: number;

  @column.Text() type: string;

  @column.Json() actor: EventActor;

  @column.Timestamp({ name: 'occurred_at' }) occurredAt: Date;

  @column.Json() payload: Record<string, unknown>;

  @column.Timestamp({ name: 'recorded_at', default: () => 'now()' }) recordedAt: Date;
}
