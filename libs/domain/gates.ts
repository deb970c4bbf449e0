import {
  APPROVAL_STATUSES,
  ApprovalRequest,
  OrganisationRule,
  organisationApproved,
} from './approvals';
import type { Stage } from './partnership';

/**
 * Whose consent a stage's gate needs, as its stage template says: nobody's (`none`: the gate
 * asks for consent only once a coordinator made a gate request in the stage), or every partner
 * organisation's (`partners`), each organisation consenting through any one of its contacts
 * (`any`) or all of them (`all`).
 */
export const GATE_CONSENTS = ['none', 'partners'] as const;
export type GateConsent = (typeof GATE_CONSENTS)[number];
export const ORGANISATION_CONSENT_RULES = ['any', 'all'] as const;
export type OrganisationConsentRule = (typeof ORGANISATION_CONSENT_RULES)[number];

export type GateConsentRule =
  { consent: 'none' } | { consent: 'partners'; organisationRule: OrganisationConsentRule };

/** The gate rules of a template version, by stage; a stage without one needs no consent. */
export type GateRules = Partial<Record<Stage, GateConsentRule>>;

export const NO_CONSENT: GateConsentRule = { consent: 'none' };

export function gateRuleOf(rules: GateRules | undefined, stage: Stage): GateConsentRule {
  return rules?.[stage] ?? NO_CONSENT;
}

/** What the gate rule reads besides the approvals. */
export interface GateContext {
  rule: GateConsentRule;
  /** The partner organisations, every one of which a gate request asks. */
  organisationIds: string[];
  /**
   * When the partnership last entered the stage (absent in runs from before): a gate request
   * made before counts no more, so a send-back clears the consent and it is asked again.
   */
  since?: string;
}

export const CONSENT_STATUSES = [...APPROVAL_STATUSES, 'not_requested'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** A gate's consent still missing: the request (if any), who is awaited, which partners lack it. */
export interface ConsentBlocker {
  kind: 'consent';
  /** The latest gate request of this visit to the stage; null when none was made. */
  approvalId: string | null;
  status: ConsentStatus;
  /** Contacts still awaited (a pending request only). */
  awaiting: string[];
  /** The partner organisations whose consent is missing. */
  organisationIds: string[];
}

/** Each partner organisation's part of a gate's consent, for the partnership page. */
export interface OrganisationConsent {
  organisationId: string;
  consented: boolean;
  /** Contacts who approved for the organisation. */
  consentedBy: string[];
}

export interface GateConsentState {
  /** True when the gate needs consent now: the template asks for it, or a request was made. */
  required: boolean;
  rule: GateConsentRule;
  approvalId: string | null;
  status: ConsentStatus;
  organisations: OrganisationConsent[];
}

function isGateOf(request: ApprovalRequest, stage: Stage): boolean {
  return (
    request.subject.kind === 'gate' &&
    request.subject.stage === stage &&
    request.status !== 'withdrawn'
  );
}

/** Whether the request was made in the current visit to its stage. */
function inThisVisit(request: ApprovalRequest, since: string | undefined): boolean {
  return since === undefined || Date.parse(request.requestedAt) >= Date.parse(since);
}

/** The per-organisation rule a template's consent rule stands for. */
export function organisationRuleOf(rule: OrganisationConsentRule): OrganisationRule {
  return { kind: rule };
}

/**
 * Whether one partner organisation has consented in `request`: under the rule the request gave
 * the organisation and, when the template has one, under the template's too (the stricter of the
 * two: a request that asks more than the template is consent only once it has what it asked,
 * so the page never shows everyone consented while the request still waits). A closed request
 * reduced to a summary (no organisations) speaks for all of them through its status.
 */
function organisationConsented(
  request: ApprovalRequest,
  organisationId: string,
  rule: GateConsentRule,
): boolean {
  if (request.organisations.length === 0) return request.status === 'approved';
  const org = request.organisations.find((o) => o.organisationId === organisationId);
  if (!org) return false;
  if (request.status !== 'pending' && request.status !== 'approved') return false;
  const underTemplate =
    rule.consent !== 'partners' ||
    organisationApproved({ ...org, rule: organisationRuleOf(rule.organisationRule) });
  return underTemplate && organisationApproved(org);
}

function approvedBy(request: ApprovalRequest, organisationId: string): string[] {
  const org = request.organisations.find((o) => o.organisationId === organisationId);
  return (org?.approvers ?? [])
    .filter((a) => !a.delegated && a.decision?.outcome === 'approved')
    .map((a) => a.contactId);
}

/**
 * The gate's consent in `stage`, given the approvals in request order: whether it is needed,
 * the request that counts (the latest gate request of this visit that was not withdrawn) and
 * each partner organisation's part. The gate needs consent when the template asks for it, or
 * once a gate request was made for the stage, in this visit or an earlier one (so consent given
 * before a send-back must be given again).
 */
export function gateConsent(
  approvals: ApprovalRequest[],
  stage: Stage,
  gate: GateContext,
): GateConsentState {
  const gates = approvals.filter((a) => isGateOf(a, stage));
  const current = [...gates].reverse().find((a) => inThisVisit(a, gate.since));
  const required = gate.rule.consent === 'partners' || gates.length > 0;
  return {
    required,
    rule: gate.rule,
    approvalId: current?.id ?? null,
    status: current?.status ?? 'not_requested',
    organisations: gate.organisationIds.map((organisationId) => ({
      organisationId,
      consented: current ? organisationConsented(current, organisationId, gate.rule) : false,
      consentedBy: current ? approvedBy(current, organisationId) : [],
    })),
  };
}

/** Contacts a pending request still awaits in organisations that have not consented yet. */
function awaitedIn(request: ApprovalRequest, missing: string[]): string[] {
  if (request.status !== 'pending') return [];
  return request.organisations
    .filter((o) => missing.includes(o.organisationId))
    .flatMap((o) => o.approvers.filter((a) => !a.delegated && !a.decision).map((a) => a.contactId));
}

/**
 * Does the gate's consent rule hold? Undefined when it does (or when no consent is needed);
 * otherwise the blocker naming the request, who is awaited and which partners' consent is
 * missing. A request that is approved holds only if every partner consented under the rule.
 */
export function gateConsentBlockerOf(
  approvals: ApprovalRequest[],
  stage: Stage,
  gate: GateContext,
): ConsentBlocker | undefined {
  const consent = gateConsent(approvals, stage, gate);
  if (!consent.required) return undefined;
  const missing = consent.organisations.filter((o) => !o.consented).map((o) => o.organisationId);
  if (consent.status === 'approved' && missing.length === 0) return undefined;
  const request = approvals.find((a) => a.id === consent.approvalId);
  return {
    kind: 'consent',
    approvalId: consent.approvalId,
    status: consent.status,
    awaiting: request ? awaitedIn(request, missing) : [],
    // Any but a pending request must be asked again of every partner.
    organisationIds:
      consent.status === 'pending' || consent.status === 'approved'
        ? missing
        : [...gate.organisationIds],
  };
}

/**
 * Problems with a gate request under the stage's rule: when the template asks every partner for
 * consent, each organisation must be asked at least as strictly as the rule says (for `all`: rule
 * `all` and every one of its contacts).
 */
export function gateRequestProblems(
  rule: GateConsentRule,
  organisations: { organisationId: string; rule: OrganisationRule; approverContactIds: string[] }[],
  contactsByOrganisation: Record<string, string[]>,
): string[] {
  if (rule.consent !== 'partners' || rule.organisationRule !== 'all') return [];
  const problems: string[] = [];
  for (const org of organisations) {
    const contacts = contactsByOrganisation[org.organisationId] ?? [];
    if (org.rule.kind !== 'all' || contacts.some((c) => !org.approverContactIds.includes(c))) {
      problems.push(
        `the gate of this stage needs the consent of all contacts of organisation ${org.organisationId}: ask them all with rule all`,
      );
    }
  }
  return problems;
}

/**
 * Problems with asking the partners to approve a task only their approval completes: it must be
 * open, with no request for it pending already (one request answers it).
 */
export function partnerTaskRequestProblems(
  task: { id: string; status: 'open' | 'done'; answeredBy?: 'partners' } | undefined,
  approvals: ApprovalRequest[],
): string[] {
  if (!task || task.answeredBy !== 'partners') return [];
  if (task.status === 'done') return [`task ${task.id} is already done`];
  const pending = approvals.some(
    (a) => a.status === 'pending' && a.subject.kind === 'task' && a.subject.taskId === task.id,
  );
  return pending ? [`an approval request for task ${task.id} is already pending`] : [];
}

/** A template's gate rules from its rows (`stage_template_gates`). */
export function gateRulesOf(
  rows: { stage: Stage; consent: GateConsent; organisationRule: OrganisationConsentRule | null }[],
): GateRules {
  const rules: GateRules = {};
  for (const row of rows) {
    rules[row.stage] =
      row.consent === 'partners'
        ? { consent: 'partners', organisationRule: row.organisationRule ?? 'any' }
        : NO_CONSENT;
  }
  return rules;
}

/** The gate's consent in the partnership's current stage (its detail shows it). */
export function currentGateConsent(state: {
  stage: Stage;
  approvals?: ApprovalRequest[];
  organisationIds?: string[];
  gateRules?: GateRules;
  stageEnteredAt?: string;
}): GateConsentState {
  return gateConsent(state.approvals ?? [], state.stage, {
    rule: gateRuleOf(state.gateRules, state.stage),
    organisationIds: state.organisationIds ?? [],
    since: state.stageEnteredAt,
  });
}
