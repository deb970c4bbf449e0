/**
 * The partnership workflow's contract: task queue, workflow id, search attributes and messages.
 * Imported by the workflow, the worker and the API alike; nothing else is shared by copy.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  EventActorInput,
  Language,
  OrganisationKind,
  PartnershipStatus,
  Stage,
  WorkingHours,
} from '../../libs/domain';

export const PARTNERSHIP_TASK_QUEUE = 'partnerships';

export function partnershipWorkflowId(partnershipId: string): string {
  return `partnership-${partnershipId}`;
}

/** Typed search attributes upserted by the workflow; the dev server registers them at start. */
export const PartnershipSearchAttributes = {
  id: defineSearchAttributeKey('PartnershipId', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('PartnershipStage', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('PartnershipStatus', SearchAttributeType.KEYWORD),
  coordinator: defineSearchAttributeKey('PartnershipCoordinator', SearchAttributeType.KEYWORD),
  organisations: defineSearchAttributeKey(
    'PartnershipOrganisations',
    SearchAttributeType.KEYWORD_LIST,
  ),
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(PartnershipSearchAttributes);

export interface ContactInput {
  id: string;
  name: string;
  email: string;
  role: string | null;
  language: Language;
  timeZone: string;
  workingHours: WorkingHours;
}

export interface OrganisationInput {
  id: string;
  /** True when the organisation was given inline and must be recorded with the partnership. */
  isNew: boolean;
  name: string;
  region: string | null;
  country: string;
  kind: OrganisationKind;
  contacts: ContactInput[];
}

export interface PartnershipWorkflowInput {
  partnershipId: string;
  title: string;
  areas: string[];
  coordinator: { name: string; email: string };
  organisations: OrganisationInput[];
  /** sha256 of the create request, so a reused Idempotency-Key with another body is refused. */
  requestHash: string;
  requestedAt: string;
  actor: EventActorInput;
}

/** Carried across continue-as-new. */
export interface PartnershipWorkflowState {
  partnershipId: string;
  title: string;
  stage: Stage;
  status: PartnershipStatus;
  coordinator: { name: string; email: string };
  organisationIds: string[];
  requestHash: string;
  recorded: boolean;
  /** Sequence number of the last timeline event the workflow emitted. */
  lastSequence: number;
}

export type PartnershipWorkflowArgs =
  | { kind: 'new'; input: PartnershipWorkflowInput }
  | { kind: 'continued'; state: PartnershipWorkflowState };

export interface PartnershipView {
  id: string;
  title: string;
  stage: Stage;
  status: PartnershipStatus;
  recorded: boolean;
}

export const getPartnershipQuery = defineQuery<PartnershipView>('getPartnership');

/**
 * Waits until the partnership is recorded in the read model. The create endpoint calls it with the
 * request's hash, so a second request with the same Idempotency-Key and another body is refused.
 */
export const awaitRecordedUpdate = defineUpdate<PartnershipView, [{ requestHash: string }]>(
  'awaitRecorded',
);

/** Failure types the workflow's validators raise; the API maps them to error codes. */
export const PartnershipFailure = {
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
} as const;
