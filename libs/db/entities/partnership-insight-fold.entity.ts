import { Entity, PrimaryColumn } from 'typeorm';
import * as column from './columns';
import type { FoldedInsight, Stage } from '../../domain';

/**
 * Each partnership's insight folded through its timeline (`foldInsight` in libs/domain), as of
 * the partnership's `last_sequence` when it was folded: a request carries it to now
 * (`insightAt`) and folds again only the partnerships whose `last_sequence` has moved since
 * (docs/analytics.md). Written by the API's insight reads, never by the workflow; a fold that does
 * not match its partnership's `last_sequence` is simply folded again, so these rows may be lost
 * or deleted at any time. The three tables below hold the same fold's figures as rows, for the
 * aggregates across partnerships; they are rewritten with it.
 */
@Entity({ name: 'partnership_insight_folds' })
export class PartnershipInsightFoldEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  /** The partnership's `last_sequence` the fold was read at. */
  @column.Integer({ name: 'through_sequence' }) throughSequence: number;

  /** `INSIGHT_FOLD_VERSION` when it was folded: another version is folded again. */
  @column.Integer({ name: 'fold_version' }) foldVersion: number;

  /** The instant of its last event, in epoch milliseconds (null: no event). */
  @column.BigInteger({ name: 'through_ms', nullable: true }) throughMs: string | null;

  @column.Json() fold: FoldedInsight;

  @column.Timestamp({ name: 'folded_at' }) foldedAt: Date;
}

/** A kept fold's stays in a stage. */
@Entity({ name: 'partnership_insight_stays' })
export class PartnershipInsightStayEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @PrimaryColumn({ type: 'integer' })
  position: number;

  @column.Text() stage: Stage;

  /** Time in the stage up to the fold's last event (an open stay grows from there). */
  @column.BigInteger() ms: string;

  /** Ended by advancing or being sent back: counted in the stage's median and p90. */
  @column.Bool({ name: 'ended_by_move' }) endedByMove: boolean;

  @column.Bool() open: boolean;
}

/** A kept fold's approval answer times, one per organisation and request. */
@Entity({ name: 'partnership_insight_turnarounds' })
export class PartnershipInsightTurnaroundEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @PrimaryColumn({ type: 'integer' })
  position: number;

  @column.Uuid({ name: 'organisation_id' }) organisationId: string;

  @column.BigInteger() ms: string;
}

/** A kept fold's waiting per side: the coordinator (no organisation) and each organisation. */
@Entity({ name: 'partnership_insight_sides' })
export class PartnershipInsightSideEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @PrimaryColumn({ type: 'integer' })
  position: number;

  /** Null for the coordinator. */
  @column.Uuid({ name: 'organisation_id', nullable: true }) organisationId: string | null;

  /** Waited on up to the fold's last event. */
  @column.BigInteger() ms: string;

  /** Waited on since the fold's last event: the time since counts for this side too. */
  @column.Bool({ name: 'waiting_now' }) waitingNow: boolean;
}
