/** Stages a partnership moves through, in order. `closed` is a status, not a stage. */
export const STAGES = [
  'introduction',
  'area_exploration',
  'knowledge_sharing',
  'project_proposal',
  'agreed',
] as const;
export type Stage = (typeof STAGES)[number];

export const PARTNERSHIP_STATUSES = ['active', 'paused', 'agreed', 'closed'] as const;
export type PartnershipStatus = (typeof PARTNERSHIP_STATUSES)[number];

export const ORGANISATION_KINDS = [
  'agency',
  'institute',
  'university',
  'company',
  'association',
  'government',
  'other',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}

/** The stage after `stage`, or undefined at the end. */
export function nextStage(stage: Stage): Stage | undefined {
  return STAGES[STAGES.indexOf(stage) + 1];
}

/** The stage before `stage`, or undefined at the start. */
export function previousStage(stage: Stage): Stage | undefined {
  const i = STAGES.indexOf(stage);
  return i > 0 ? STAGES[i - 1] : undefined;
}

/** Closed or agreed: the partnership has ended and changes no more (see `endedRejection`). */
export function isTerminalStatus(status: PartnershipStatus): status is 'agreed' | 'closed' {
  return status === 'agreed' || status === 'closed';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical UUID string; anything else can never name a partnership. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
