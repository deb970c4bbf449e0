import { ApiProperty } from '@nestjs/swagger';
import { PARTNERSHIP_STATUSES, STAGES } from '@libs/domain';
import type { PartnershipStatus, Stage, StayEnd, WaitingOn } from '@libs/domain';

const WAITING_ON = ['nobody', 'coordinator', 'partners'] as const satisfies readonly WaitingOn[];
const STAY_ENDS = ['advanced', 'sent_back', 'closed'] as const satisfies readonly StayEnd[];
const seconds = (description: string, nullable = false) =>
  ApiProperty({ type: 'integer', minimum: 0, nullable, description: `${description} (seconds)` });

/** Median and p90 of the stays in one stage that ended. */
export class StageDurationView {
  @ApiProperty({ enum: STAGES.filter((s) => s !== 'agreed'), example: 'introduction' })
  stage: Stage;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Stays that ended by advancing or being sent back',
  })
  endedStays: number;
  @seconds('Median time in the stage of the ended stays, paused time not counted', true)
  medianSeconds: number | null;
  @seconds('90th percentile of the same', true)
  p90Seconds: number | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Partnerships in the stage now' })
  openStays: number;
}

/** How long one organisation takes to answer approval requests. */
export class OrganisationTurnaroundView {
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty() organisationName: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Requests it answered' })
  answered: number;
  @seconds('Median time from the request to its answer') medianSeconds: number;
  @seconds('90th percentile of the same') p90Seconds: number;
}

/** One side a partnership can wait on: the coordinator, or a partner organisation. */
export class InsightSideView {
  @ApiProperty({ enum: ['coordinator', 'organisation'] }) side: 'coordinator' | 'organisation';
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'Null for the coordinator',
  })
  organisationId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Null for the coordinator' })
  organisationName: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Partnerships that wait on it now' })
  waitingNow: number;
  @seconds('Cumulative time the partnerships waited on it') waitingSeconds: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Overdue tasks assigned to its contacts (coordinator: unassigned ones)',
  })
  overdueTasks: number;
}

/** An organisation's share of one partnership's waiting. */
export class PartnerWaitingView {
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty() organisationName: string;
  @seconds('Cumulative time the partnership waited on it') waitingSeconds: number;
}

/** One stay in a stage. */
export class StageStayView {
  @ApiProperty({ enum: STAGES }) stage: Stage;
  @ApiProperty({ format: 'date-time' }) enteredAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) leftAt: string | null;
  @ApiProperty({ enum: STAY_ENDS, nullable: true, type: String }) leftBy: StayEnd | null;
  @seconds('Time in the stage, paused time not counted') seconds: number;
}

/** One organisation's answer to one approval request. */
export class ApprovalTurnaroundView {
  @ApiProperty({ format: 'uuid' }) approvalId: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ format: 'date-time' }) requestedAt: string;
  @ApiProperty({ format: 'date-time' }) answeredAt: string;
  @seconds('From the request to the answer') seconds: number;
}

/** One partnership's figures (a row of the insight table and of its CSV). */
export class PartnershipInsightRowView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: STAGES }) stage: Stage;
  @ApiProperty({ enum: PARTNERSHIP_STATUSES }) status: PartnershipStatus;
  @ApiProperty({
    enum: WAITING_ON,
    description: 'nobody: paused, closed or agreed; partners: see `waitingOnOrganisationIds`',
  })
  waitingOn: WaitingOn;
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' } })
  waitingOnOrganisationIds: string[];
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Since when it waits on the same side(s) as now',
  })
  waitingSince: string | null;
  @seconds('Time in the current stage, paused time not counted; null once agreed or closed', true)
  currentStageSeconds: number | null;
  @seconds('Cumulative time it waited on the coordinator') coordinatorWaitingSeconds: number;
  @ApiProperty({ type: [PartnerWaitingView], description: 'Each partner organisation, by name' })
  organisations: PartnerWaitingView[];
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Open tasks past their due date' })
  overdueTasks: number;
}

/** One partnership's insight: its row, and the stays and answers it is computed from. */
export class PartnershipInsightView extends PartnershipInsightRowView {
  @ApiProperty({ format: 'date-time', description: 'The instant the figures run up to' })
  generatedAt: string;
  @ApiProperty({ type: [StageStayView], description: 'Oldest first' }) stays: StageStayView[];
  @ApiProperty({ type: [ApprovalTurnaroundView], description: 'In the order of the answers' })
  turnarounds: ApprovalTurnaroundView[];
  @ApiProperty({ type: [StageDurationView] }) stages: StageDurationView[];
}

/** Insight across the partnerships the caller may see, under the board's filters. */
export class InsightView {
  @ApiProperty({ format: 'date-time', description: 'The instant the figures run up to' })
  generatedAt: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Partnerships counted' })
  total: number;
  @ApiProperty({ type: [StageDurationView], description: 'Per stage, in stage order' })
  stages: StageDurationView[];
  @ApiProperty({ type: [OrganisationTurnaroundView], description: 'By organisation name' })
  approvalTurnaround: OrganisationTurnaroundView[];
  @ApiProperty({
    type: [InsightSideView],
    description: 'The coordinator first, then each organisation by name',
  })
  sides: InsightSideView[];
  @ApiProperty({ type: 'integer', minimum: 0 }) overdueTasks: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) pageSize: number;
  @ApiProperty({ type: [PartnershipInsightRowView], description: 'In the board’s order' })
  items: PartnershipInsightRowView[];
}
