import { createHmac, randomUUID } from 'node:crypto';
import {
  approvalLinkExpiry,
  signApprovalLink,
  signEventLink,
  signTaskLink,
} from '@libs/approval-links';
import { signAccessToken } from '@libs/auth';
import { approvalLinkSecret, authTokenSecret, loadConfig } from '@libs/config';
import type { PartnershipAccess, UserRole } from '@libs/domain';
import { foundingCaseRequest } from '../support/fixtures';
import {
  AccessRule,
  describeRule,
  mapLimit,
  Need,
  RawResponse,
  request,
  ServedRoute,
  servedRoutes,
} from '../support/route-table';
import { WEB_APP_ROUTES } from '../../apps/api/src/web-app/web-app-routes';
import { partnershipWorkflowId } from '@workflows/partnership/partnership.contract';
import { diffSnapshots, snapshot, waitUntilQuiet } from '../support/state-snapshot';
import {
  http,
  login,
  Platform,
  requireEnv,
  startPlatform,
  TEST_ADMIN_EMAIL,
  TEST_ADMIN_PASSWORD,
} from '../support/stack';

/**
 * The authorization matrix: every route the API serves × four kinds of user (admin, coordinator,
 * observer, a coordinator who only observes) × a partnership or approval request that is theirs
 * (own) and one of a partnership they are not a member of (foreign) × nine credentials (their
 * access token, their API token, none, expired, a flipped signature, rewritten claims,
 * `alg: none`, another key, a revoked API token), each with the exact status: 401 without valid
 * credentials, 403 for a role the route does not allow or a read-only member acting, 404 for a
 * partnership the caller may not see, else the route's own success status, from a real call
 * (fresh resources for one-shot actions).
 *
 * The routes come from the application's own router (test/support/route-table.ts): a route
 * without a rule in RULES, a rule without a route, or decorators that say otherwise than RULES
 * fail the first test. HEAD routes are Fastify's twins of the GETs and are called too.
 *
 * A route whose HEAD cannot answer (a body that never ends) would name why in `headNeverAnswers`
 * and be checked only to pass access control; none does (the event stream ends a HEAD at once).
 */

// ----- The rules: the reviewed source of truth -----

type Ownership = 'own' | 'foreign';
const PUBLIC: AccessRule = { public: true };
/** Any signed-in user. */
const SIGNED_IN: AccessRule = {};
const roles = (...allowed: UserRole[]): AccessRule => ({ roles: allowed });
const partnership = (need: Need): AccessRule => ({ partnership: need });
const approval = (need: Need): AccessRule => ({ approval: need });

interface Call {
  /** The path with its parameters filled in. */
  path: string;
  body?: unknown;
  /** Runs once the answer is in (or the request failed): releases what `call` held. */
  after?: (res: RawResponse | undefined) => void;
}

interface CallContext {
  actor: Actor;
  /** For partnership and approval routes (and DELETE of an API token): whose resource. */
  ownership: Ownership | undefined;
  /** Access control should let this call through: make it a call that succeeds. */
  allowed: boolean;
}

interface RouteRule {
  rule: AccessRule;
  /** The status once access control lets the call through (default 200). */
  ok?: number;
  /** The route acts on the caller's own resource: another user's is 404, as if it did not exist. */
  ownedByCaller?: true;
  /**
   * Its HEAD twin never answers once access control lets it through, so for that call only
   * "passed access control" is checked: no answer within a second (a refusal comes at once).
   */
  headNeverAnswers?: string;
  /** A call that succeeds for a caller the rule lets through (one-shot actions get fresh resources). */
  call: (c: CallContext) => Call | Promise<Call>;
  /** Each call that passes runs scrypt (a login): two at a time, as many as the machine has cores. */
  hashesPassword?: true;
}

let fx: Fixtures;
/** Partnerships made for the current route's one-shot calls: settled before its snapshot. */
let fresh: string[] = [];
const unique = (): string => randomUUID().slice(0, 8);
const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();
let counter = 0;
const next = (): number => ++counter;
const P = (c: CallContext): string => fx.partnership[c.ownership!].id;
const A = (c: CallContext): string => fx.approval[c.ownership!];
const FIRST_TASK = 'introduction.introductory_meeting';
/** A date for each closure call, a day between one and two years ahead (300 different ones). */
const closureDate = (): string =>
  new Date(Date.now() + (400 + (next() % 300)) * 86_400_000).toISOString().slice(0, 10);

/**
 * Every route, keyed "METHOD /path" as the router has it. HEAD routes are the GET handler that
 * Fastify answers HEAD with: they follow their GET's rule and are tested with it.
 */
const RULES: Record<string, RouteRule> = {
  // Accounts and tokens
  'POST /api/v1/auth/login': {
    rule: PUBLIC,
    hashesPassword: true,
    call: () => ({ path: '/api/v1/auth/login', body: fx.probe }),
  },
  'POST /api/v1/auth/refresh': {
    rule: PUBLIC,
    // Single use: the calls take turns on one chain of refresh tokens.
    call: () => fx.refreshChain.take(),
  },
  'POST /api/v1/auth/logout': {
    rule: SIGNED_IN,
    ok: 204,
    call: (c) => ({
      path: '/api/v1/auth/logout',
      body: { refreshToken: c.allowed ? c.actor.refreshToken : 'A'.repeat(43) },
    }),
  },
  'GET /api/v1/me': { rule: SIGNED_IN, call: () => ({ path: '/api/v1/me' }) },
  'POST /api/v1/me/api-tokens': {
    rule: SIGNED_IN,
    ok: 201,
    call: () => ({ path: '/api/v1/me/api-tokens', body: { name: `matrix ${unique()}` } }),
  },
  'GET /api/v1/me/api-tokens': { rule: SIGNED_IN, call: () => ({ path: '/api/v1/me/api-tokens' }) },
  // What waits on the caller: their own partnerships only (tested in test/e2e/my-work.e2e.spec.ts).
  'GET /api/v1/me/work': { rule: SIGNED_IN, call: () => ({ path: '/api/v1/me/work' }) },
  'DELETE /api/v1/me/api-tokens/:id': {
    rule: SIGNED_IN,
    ok: 204,
    ownedByCaller: true,
    call: async (c) => ({
      path: `/api/v1/me/api-tokens/${
        c.allowed ? (await newApiToken(c.actor.accessToken)).id : fx.foreignApiTokenId
      }`,
    }),
  },
  'POST /api/v1/users': {
    rule: roles('admin'),
    ok: 201,
    call: () => ({
      path: '/api/v1/users',
      body: {
        email: `matrix-${unique()}@example.test`,
        name: 'Matrix',
        role: 'observer',
        password: `pw-${randomUUID()}`,
      },
    }),
  },
  'GET /api/v1/users': { rule: roles('admin'), call: () => ({ path: '/api/v1/users' }) },
  'GET /api/v1/users/:id': {
    rule: roles('admin'),
    call: () => ({ path: `/api/v1/users/${fx.spareUserId}` }),
  },
  'PATCH /api/v1/users/:id': {
    rule: roles('admin'),
    call: () => ({ path: `/api/v1/users/${fx.spareUserId}`, body: { name: `Spare ${unique()}` } }),
  },
  'DELETE /api/v1/users/:id/api-tokens': {
    rule: roles('admin'),
    call: () => ({ path: `/api/v1/users/${fx.spareUserId}/api-tokens` }),
  },
  'GET /api/v1/audit-log': { rule: roles('admin'), call: () => ({ path: '/api/v1/audit-log' }) },
  'GET /api/v1/audit-log/export.csv': {
    rule: roles('admin'),
    call: () => ({ path: '/api/v1/audit-log/export.csv' }),
  },

  // Partnerships
  'GET /api/v1/partnerships': { rule: SIGNED_IN, call: () => ({ path: '/api/v1/partnerships' }) },
  // Only the caller's partnerships, an admin all (tested in test/e2e/csv-exports.e2e.spec.ts).
  'GET /api/v1/partnerships/export.csv': {
    rule: SIGNED_IN,
    call: () => ({ path: '/api/v1/partnerships/export.csv' }),
  },
  // Only the caller's partnerships, an admin all (tested in test/e2e/insight.e2e.spec.ts).
  'GET /api/v1/insight': { rule: SIGNED_IN, call: () => ({ path: '/api/v1/insight' }) },
  'GET /api/v1/insight/export.csv': {
    rule: SIGNED_IN,
    call: () => ({ path: '/api/v1/insight/export.csv' }),
  },
  // Only the caller's partners, an admin all (tested in test/e2e/organisations.e2e.spec.ts).
  'GET /api/v1/organisations': { rule: SIGNED_IN, call: () => ({ path: '/api/v1/organisations' }) },
  // P's organisation, which every actor sees (an outsider's 404 is in organisation-closures.e2e).
  'GET /api/v1/organisations/:id/closures': {
    rule: SIGNED_IN,
    call: () => ({ path: `/api/v1/organisations/${fx.partnership.own.org.id}/closures` }),
  },
  'PUT /api/v1/organisations/:id/closures/:date': {
    rule: roles('admin'),
    call: () => ({
      path: `/api/v1/organisations/${fx.partnership.own.org.id}/closures/${closureDate()}`,
      body: { name: `Matrix ${unique()}` },
    }),
  },
  'POST /api/v1/organisations/:id/closures/replan': {
    rule: roles('admin'),
    call: () => ({ path: `/api/v1/organisations/${fx.partnership.own.org.id}/closures/replan` }),
  },
  'DELETE /api/v1/organisations/:id/closures/:date': {
    rule: roles('admin'),
    call: async (c) => {
      const org = fx.partnership.own.org.id;
      const date = closureDate();
      if (c.allowed) {
        await api('PUT', `/organisations/${org}/closures/${date}`, { body: { name: 'Matrix' } });
      }
      return { path: `/api/v1/organisations/${org}/closures/${date}` };
    },
  },
  'POST /api/v1/partnerships': {
    rule: roles('admin', 'coordinator'),
    ok: 201,
    call: () => ({ path: '/api/v1/partnerships', body: partnershipRequest() }),
  },
  'GET /api/v1/partnerships/:id': {
    rule: partnership('read'),
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}` }),
  },
  'POST /api/v1/partnerships/:id/advance': {
    rule: partnership('act'),
    call: async (c) => ({
      path: `/api/v1/partnerships/${c.allowed ? await freshPartnership(c, 'gate-open') : P(c)}/advance`,
      body: { comment: 'matrix' },
    }),
  },
  'POST /api/v1/partnerships/:id/send-back': {
    rule: partnership('act'),
    call: async (c) => ({
      path: `/api/v1/partnerships/${c.allowed ? await freshPartnership(c, 'advanced') : P(c)}/send-back`,
      body: { reason: 'matrix' },
    }),
  },
  'POST /api/v1/partnerships/:id/pause': {
    rule: partnership('act'),
    call: async (c) => ({
      path: `/api/v1/partnerships/${c.allowed ? await freshPartnership(c) : P(c)}/pause`,
      body: {},
    }),
  },
  'POST /api/v1/partnerships/:id/resume': {
    rule: partnership('act'),
    call: async (c) => ({
      path: `/api/v1/partnerships/${c.allowed ? await freshPartnership(c, 'paused') : P(c)}/resume`,
      body: {},
    }),
  },
  'POST /api/v1/partnerships/:id/close': {
    rule: partnership('act'),
    call: async (c) => ({
      path: `/api/v1/partnerships/${c.allowed ? await freshPartnership(c) : P(c)}/close`,
      body: { reason: 'matrix' },
    }),
  },
  'POST /api/v1/partnerships/:id/reopen': {
    rule: roles('admin'),
    call: async (c) => ({
      // A role rule: no own/foreign; a refused caller is refused before the partnership counts.
      path: `/api/v1/partnerships/${c.allowed ? await freshPartnership(c, 'closed') : fx.partnership.own.id}/reopen`,
      body: { reason: 'matrix' },
    }),
  },
  'POST /api/v1/partnerships/:id/tasks': {
    rule: partnership('act'),
    ok: 201,
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/tasks`,
      body: { title: `Matrix task ${unique()}`, required: false },
    }),
  },
  'PATCH /api/v1/partnerships/:id/tasks/:taskId': {
    rule: partnership('act'),
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/tasks/${FIRST_TASK}`,
      body: { title: `Hold the introductory meeting (${unique()})` },
    }),
  },
  'PATCH /api/v1/partnerships/:id': {
    rule: partnership('act'),
    // A fresh one: the board's test finds P and Q by their titles.
    call: async (c) => ({
      path: `/api/v1/partnerships/${c.allowed ? await freshPartnership(c) : P(c)}`,
      body: { title: `Matrix partnership ${unique()}` },
    }),
  },
  'PATCH /api/v1/partnerships/:id/contacts/:contactId': {
    rule: partnership('act'),
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/contacts/${fx.partnership[c.ownership!].org.contacts[1]}`,
      body: { name: `Marta Colleague ${unique()}` },
    }),
  },
  'POST /api/v1/partnerships/:id/template': {
    rule: partnership('act'),
    // A fresh one, and a newer version of the matrix's template published for it.
    call: async (c) => {
      if (!c.allowed)
        return { path: `/api/v1/partnerships/${P(c)}/template`, body: { version: 2 } };
      const id = await freshPartnership(c);
      return {
        path: `/api/v1/partnerships/${id}/template`,
        body: { version: await newerTemplate() },
      };
    },
  },
  'POST /api/v1/partnerships/:id/organisations/:organisationId/remove': {
    rule: partnership('act'),
    call: async (c) => {
      if (!c.allowed) {
        return {
          path: `/api/v1/partnerships/${P(c)}/organisations/${fx.partnership[c.ownership!].org.id}/remove`,
          body: { reason: 'matrix' },
        };
      }
      const { id, org } = await threePartnerPartnership(c);
      return {
        path: `/api/v1/partnerships/${id}/organisations/${org}/remove`,
        body: { reason: 'matrix' },
      };
    },
  },
  'POST /api/v1/partnerships/:id/comments': {
    rule: partnership('act'),
    ok: 201,
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/comments`,
      body: { text: `Matrix comment ${unique()}`, taskId: FIRST_TASK },
    }),
  },
  'POST /api/v1/partnerships/:id/organisations': {
    rule: partnership('act'),
    call: async (c) => ({
      path: `/api/v1/partnerships/${c.allowed ? await freshPartnership(c) : P(c)}/organisations`,
      body: { name: `Matrix partner ${unique()}`, country: 'CN', kind: 'agency' },
    }),
  },
  'POST /api/v1/partnerships/:id/organisations/:organisationId/contacts': {
    rule: partnership('act'),
    call: async (c) => {
      const { id, org } = c.allowed ? await freshFixture(c) : fx.partnership[c.ownership!];
      return {
        path: `/api/v1/partnerships/${id}/organisations/${org.id}/contacts`,
        body: {
          name: 'Matrix Contact',
          email: `matrix+${unique()}@ivace.example`,
          language: 'es',
          timeZone: 'Europe/Madrid',
        },
      };
    },
  },
  'POST /api/v1/partnerships/:id/contacts/:contactId/deactivate': {
    rule: partnership('act'),
    // A fresh one: its first organisation's colleague, who has nothing pending, stops.
    call: async (c) => {
      const { id, org } = c.allowed ? await freshFixture(c) : fx.partnership[c.ownership!];
      return {
        path: `/api/v1/partnerships/${id}/contacts/${org.contacts[1]}/deactivate`,
        body: { reason: 'matrix' },
      };
    },
  },
  'POST /api/v1/partnerships/:id/contacts/:contactId/reactivate': {
    rule: partnership('act'),
    call: async (c) => {
      const { id, org } = c.allowed ? await freshFixture(c) : fx.partnership[c.ownership!];
      if (c.allowed) {
        await api('POST', `/partnerships/${id}/contacts/${org.contacts[1]}/deactivate`, {
          body: { reason: 'matrix' },
        });
      }
      return {
        path: `/api/v1/partnerships/${id}/contacts/${org.contacts[1]}/reactivate`,
        body: {},
      };
    },
  },
  'POST /api/v1/partnerships/:id/tasks/:taskId/complete': {
    rule: partnership('act'),
    call: async (c) => ({
      path: `/api/v1/partnerships/${P(c)}/tasks/${c.allowed ? await newTask(P(c)) : FIRST_TASK}/complete`,
      body: { comment: 'matrix' },
    }),
  },
  'POST /api/v1/partnerships/:id/tasks/:taskId/reopen': {
    rule: partnership('act'),
    call: async (c) => ({
      path: `/api/v1/partnerships/${P(c)}/tasks/${c.allowed ? await newTask(P(c), true) : FIRST_TASK}/reopen`,
      body: { comment: 'matrix' },
    }),
  },
  'GET /api/v1/partnerships/:id/insight': {
    rule: partnership('read'),
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/insight` }),
  },
  'GET /api/v1/partnerships/:id/timeline': {
    rule: partnership('read'),
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/timeline` }),
  },
  'GET /api/v1/partnerships/:id/timeline/export.csv': {
    rule: partnership('read'),
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/timeline/export.csv` }),
  },
  'GET /api/v1/partnerships/:id/events/stream': {
    rule: partnership('read'),
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/events/stream` }),
  },
  'GET /api/v1/partnerships/:id/follow-ups': {
    rule: partnership('read'),
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/follow-ups` }),
  },
  'GET /api/v1/partnerships/:id/working-calendars': {
    rule: partnership('read'),
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/working-calendars?days=3` }),
  },
  'GET /api/v1/partnerships/:id/meeting-slots': {
    rule: partnership('read'),
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/meeting-slots?from=2027-01-11T00:00:00Z&to=2027-01-16T00:00:00Z&durationMinutes=60`,
    }),
  },
  // Events: the own partnership's event counts every actor among its attendees.
  'POST /api/v1/partnerships/:id/calendar-events': {
    rule: partnership('act'),
    ok: 201,
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/calendar-events`, body: eventRequest() }),
  },
  'GET /api/v1/partnerships/:id/calendar-events': {
    rule: partnership('read'),
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/calendar-events` }),
  },
  'GET /api/v1/partnerships/:id/calendar-events/:eventId': {
    rule: partnership('read'),
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/calendar-events/${fx.event[c.ownership!]}`,
    }),
  },
  'PATCH /api/v1/partnerships/:id/calendar-events/:eventId': {
    rule: partnership('act'),
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/calendar-events/${fx.event[c.ownership!]}`,
      body: { title: `Matrix meeting ${unique()}` },
    }),
  },
  'POST /api/v1/partnerships/:id/calendar-events/:eventId/cancel': {
    rule: partnership('act'),
    call: async (c) => ({
      path: `/api/v1/partnerships/${P(c)}/calendar-events/${c.allowed ? await newEvent(P(c)) : fx.event[c.ownership!]}/cancel`,
    }),
  },
  'POST /api/v1/partnerships/:id/calendar-events/:eventId/answer': {
    rule: partnership('read'),
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/calendar-events/${fx.event[c.ownership!]}/answer`,
      // Either answer succeeds; the same one again too (an answer is idempotent).
      body: { answer: 'accepted' },
    }),
  },
  'PATCH /api/v1/partnerships/:id/follow-up-policy': {
    rule: partnership('act'),
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/follow-up-policy`,
      body: { stalledStage: { afterWorkingDays: 10 + (next() % 90) } },
    }),
  },
  'GET /api/v1/partnerships/:id/knowledge': {
    rule: partnership('read'),
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/knowledge` }),
  },
  'GET /api/v1/partnerships/:id/knowledge/export.md': {
    rule: partnership('read'),
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/knowledge/export.md` }),
  },
  'GET /api/v1/partnerships/:id/knowledge/export.pdf': {
    rule: partnership('read'),
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/knowledge/export.pdf` }),
  },
  'POST /api/v1/partnerships/:id/knowledge/topics': {
    rule: partnership('act'),
    ok: 201,
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/knowledge/topics`,
      body: { title: `Matrix topic ${next() % 20}`, required: false },
    }),
  },
  'PUT /api/v1/partnerships/:id/knowledge/topics/:topicKey/contributions/:organisationId': {
    rule: partnership('act'),
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/knowledge/topics/funding_environment/contributions/${
        fx.partnership[c.ownership!].org.id
      }`,
      body: { text: `Matrix contribution ${next()}`, language: 'en', links: [] },
    }),
  },
  'POST /api/v1/partnerships/:id/knowledge/requests': {
    rule: partnership('act'),
    ok: 202,
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/knowledge/requests`,
      body: { contactIds: [fx.partnership[c.ownership!].org.contacts[0]] },
    }),
  },
  'PUT /api/v1/partnerships/:id/knowledge/gate': {
    rule: partnership('act'),
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/knowledge/gate`,
      body: { requireContributions: next() % 2 === 0 },
    }),
  },
  'GET /api/v1/partnerships/:id/members': {
    rule: partnership('read'),
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/members` }),
  },
  'PUT /api/v1/partnerships/:id/members/:userId': {
    rule: partnership('act'),
    call: (c) => ({
      path: `/api/v1/partnerships/${P(c)}/members/${fx.spareMemberId}`,
      body: { role: 'observer' },
    }),
  },
  'DELETE /api/v1/partnerships/:id/members/:userId': {
    rule: partnership('act'),
    ok: 204,
    call: async (c) => ({
      path: `/api/v1/partnerships/${P(c)}/members/${
        c.allowed ? await addMember(P(c), fx.removable.pop()!) : fx.spareMemberId
      }`,
    }),
  },

  // Approvals
  'POST /api/v1/partnerships/:id/approvals': {
    rule: partnership('act'),
    ok: 201,
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/approvals`, body: documentApproval() }),
  },
  'GET /api/v1/partnerships/:id/approvals': {
    rule: partnership('read'),
    call: (c) => ({ path: `/api/v1/partnerships/${P(c)}/approvals` }),
  },
  'GET /api/v1/approvals/:approvalId': {
    rule: approval('read'),
    call: (c) => ({ path: `/api/v1/approvals/${A(c)}` }),
  },
  'PATCH /api/v1/approvals/:approvalId': {
    rule: approval('act'),
    call: (c) => ({ path: `/api/v1/approvals/${A(c)}`, body: { deadline: inDays(8 + next()) } }),
  },
  'POST /api/v1/approvals/:approvalId/withdraw': {
    rule: approval('act'),
    call: async (c) => ({
      path: `/api/v1/approvals/${c.allowed ? await newApproval(c.ownership!) : A(c)}/withdraw`,
    }),
  },
  'POST /api/v1/approvals/:approvalId/delegate': {
    rule: approval('act'),
    call: async (c) => {
      const { org } = fx.partnership[c.ownership!];
      return {
        path: `/api/v1/approvals/${c.allowed ? await newApproval(c.ownership!, true) : A(c)}/delegate`,
        body: { fromContactId: org.contacts[0], toContactId: org.contacts[1] },
      };
    },
  },
  // The partner's page: the signed link is the credential, whatever Authorization says.
  'GET /a/:token': { rule: PUBLIC, call: () => ({ path: `/a/${fx.link}` }) },
  // A link that is not one: the page's own 400, never a 401.
  'POST /a/:token': {
    rule: PUBLIC,
    ok: 400,
    call: () => ({ path: '/a/not-a-real-link', body: {} }),
  },
  // The partner's task page (from an overdue-task e-mail): the same, for a task link.
  'GET /t/:token': { rule: PUBLIC, call: () => ({ path: `/t/${fx.taskLink}` }) },
  'GET /k/:token': { rule: PUBLIC, ok: 400, call: () => ({ path: '/k/not-a-real-link' }) },
  'POST /k/:token': {
    rule: PUBLIC,
    ok: 400,
    call: () => ({ path: '/k/not-a-real-link', body: {} }),
  },
  'POST /t/:token': {
    rule: PUBLIC,
    ok: 400,
    call: () => ({ path: '/t/not-a-real-link', body: {} }),
  },
  'GET /e/:token': { rule: PUBLIC, call: () => ({ path: `/e/${fx.eventLink}` }) },
  'POST /e/:token': {
    rule: PUBLIC,
    ok: 400,
    call: () => ({ path: '/e/not-a-real-link', body: {} }),
  },

  // Webhooks
  'POST /api/v1/webhooks': {
    rule: roles('admin'),
    ok: 201,
    call: () => ({ path: '/api/v1/webhooks', body: webhookRequest() }),
  },
  'GET /api/v1/webhooks': { rule: roles('admin'), call: () => ({ path: '/api/v1/webhooks' }) },
  'GET /api/v1/webhooks/:id': {
    rule: roles('admin'),
    call: () => ({ path: `/api/v1/webhooks/${fx.webhookId}` }),
  },
  'PATCH /api/v1/webhooks/:id': {
    rule: roles('admin'),
    call: () => ({
      path: `/api/v1/webhooks/${fx.webhookId}`,
      body: { description: `matrix ${unique()}` },
    }),
  },
  'DELETE /api/v1/webhooks/:id': {
    rule: roles('admin'),
    ok: 204,
    call: async (c) => ({
      path: `/api/v1/webhooks/${c.allowed ? await newWebhook() : fx.webhookId}`,
    }),
  },
  'GET /api/v1/webhooks/:id/deliveries': {
    rule: roles('admin'),
    call: () => ({ path: `/api/v1/webhooks/${fx.webhookId}/deliveries` }),
  },

  // Stage templates: drafts under keys of the matrix's own, never the default's (new
  // partnerships elsewhere in the run keep starting with default version 2).
  'GET /api/v1/templates': { rule: SIGNED_IN, call: () => ({ path: '/api/v1/templates' }) },
  'GET /api/v1/templates/:key/versions/:version': {
    rule: SIGNED_IN,
    call: () => ({ path: '/api/v1/templates/default/versions/2' }),
  },
  'GET /api/v1/templates/:key/diff': {
    rule: SIGNED_IN,
    call: () => ({ path: '/api/v1/templates/default/diff?from=1&to=2' }),
  },
  'POST /api/v1/templates/:key/versions': {
    rule: roles('admin'),
    ok: 201,
    call: () => ({
      path: `/api/v1/templates/matrix_${unique()}/versions`,
      body: { copyFrom: { key: 'default', version: 2 } },
    }),
  },
  'PUT /api/v1/templates/:key/versions/:version': {
    rule: roles('admin'),
    call: () => ({
      path: `/api/v1/templates/${fx.templateDraft}/versions/1`,
      body: templateContent(),
    }),
  },
  'POST /api/v1/templates/:key/versions/:version/publish': {
    rule: roles('admin'),
    call: async (c) => ({
      path: `/api/v1/templates/${c.allowed ? await newTemplateDraft() : fx.templateDraft}/versions/1/publish`,
    }),
  },

  // The web app's sessions: the cookie is the credential. Without the X-Entente-Session header
  // (this matrix sends none) renewal and logout are refused with 403 whatever Authorization says.
  'POST /api/v1/auth/session': {
    rule: PUBLIC,
    hashesPassword: true,
    call: () => ({ path: '/api/v1/auth/session', body: fx.probe }),
  },
  'POST /api/v1/auth/session/refresh': {
    rule: PUBLIC,
    ok: 403,
    call: () => ({ path: '/api/v1/auth/session/refresh', body: {} }),
  },
  'DELETE /api/v1/auth/session': {
    rule: PUBLIC,
    ok: 403,
    call: () => ({ path: '/api/v1/auth/session' }),
  },
  'PATCH /api/v1/me': {
    rule: SIGNED_IN,
    call: () => ({ path: '/api/v1/me', body: { language: null } }),
  },
  // The web app: its pages and built files, public (the data behind them is not).
  ...Object.fromEntries(
    WEB_APP_ROUTES.map((route) => [
      `GET ${route}`,
      {
        rule: PUBLIC,
        call: () => ({ path: route.replace(':id', randomUUID()) }),
      } satisfies RouteRule,
    ]),
  ),
  'GET /assets/:file': {
    rule: PUBLIC,
    ok: 404,
    call: () => ({ path: '/assets/not-built.js' }),
  },

  // Probes and load balancers, without credentials.
  'GET /health': { rule: PUBLIC, call: () => ({ path: '/health' }) },

  // Served by Fastify itself (Swagger), before any guard: public by design.
  'GET /api/docs': { rule: PUBLIC, call: () => ({ path: '/api/docs' }) },
  'GET /api/docs/': { rule: PUBLIC, call: () => ({ path: '/api/docs/' }) },
  'GET /api/docs/index.html': { rule: PUBLIC, call: () => ({ path: '/api/docs/index.html' }) },
  'GET /api/docs/swagger-ui-init.js': {
    rule: PUBLIC,
    call: () => ({ path: '/api/docs/swagger-ui-init.js' }),
  },
  'GET /api/docs/docs/swagger-ui-init.js': {
    rule: PUBLIC,
    call: () => ({ path: '/api/docs/docs/swagger-ui-init.js' }),
  },
  // @nestjs/swagger registers it only to hide swagger-ui-dist's LICENSE file.
  'GET /api/docs/LICENSE': { rule: PUBLIC, ok: 404, call: () => ({ path: '/api/docs/LICENSE' }) },
  'GET /api/docs/*': { rule: PUBLIC, call: () => ({ path: '/api/docs/swagger-ui.css' }) },
  'GET /api/docs-json': { rule: PUBLIC, call: () => ({ path: '/api/docs-json' }) },
  'GET /api/docs-yaml': { rule: PUBLIC, call: () => ({ path: '/api/docs-yaml' }) },
};

// ----- Who calls -----

const ACTOR_NAMES = ['admin', 'coordinator', 'observer', 'coordinator-observer'] as const;
type ActorName = (typeof ACTOR_NAMES)[number];

/**
 * - admin: the test admin, a member of nothing.
 * - coordinator: coordinator A, who created P (own) and is no member of Q (foreign, created by
 *   coordinator B).
 * - observer: an observer account, added to P as an observer.
 * - coordinator-observer: coordinator C, added to P as an observer only (read-only there).
 */
const ACCESS: Record<ActorName, Record<Ownership, PartnershipAccess>> = {
  admin: { own: 'act', foreign: 'act' },
  coordinator: { own: 'act', foreign: 'none' },
  observer: { own: 'read', foreign: 'none' },
  'coordinator-observer': { own: 'read', foreign: 'none' },
};

/** The credentials each actor calls with: the first two are the actor's own, live ones. */
const TOKEN_VARIANTS = [
  'valid',
  'api-token',
  'none',
  'expired',
  'bad-signature',
  'forged-claims',
  'alg-none',
  'wrong-key',
  'revoked-api-token',
] as const;
type TokenVariant = (typeof TOKEN_VARIANTS)[number];
const SIGNED_IN_WITH: TokenVariant[] = ['valid', 'api-token'];

interface Actor {
  name: ActorName;
  role: UserRole;
  id: string;
  accessToken: string;
  refreshToken: string;
  tokens: Record<TokenVariant, string | null>;
}

interface PartnershipFixture {
  id: string;
  title: string;
  /** The first partner organisation, with two contacts (for delegation). */
  org: { id: string; contacts: [string, string] };
}

interface Fixtures {
  url: string;
  actors: Actor[];
  /** Access tokens of coordinator A (created P and the own fresh partnerships) and of B (Q). */
  coordinatorA: string;
  coordinatorB: string;
  partnership: Record<Ownership, PartnershipFixture>;
  /** A pending approval request on P (own) and on Q (foreign). */
  approval: Record<Ownership, string>;
  /** A genuine approval link for the request on P. */
  link: string;
  /** A genuine task link for P's first task, assigned to the contact it names. */
  taskLink: string;
  /** An event on P (every actor attends) and one on Q. */
  event: Record<Ownership, string>;
  /** A genuine event link for P's event and its first contact. */
  eventLink: string;
  spareMemberId: string;
  spareUserId: string;
  /** Users for the DELETE …/members/:userId calls to add and remove, one for each call. */
  removable: string[];
  webhookId: string;
  /** The key of a template whose version 1 is a draft (no one publishes it). */
  templateDraft: string;
  /** An API token of coordinator B: no one else may revoke it. */
  foreignApiTokenId: string;
  probe: { email: string; password: string };
  refreshChain: RefreshChain;
}

/** Refresh tokens are single use: callers take turns, each gets the newest one. */
class RefreshChain {
  private queue: Promise<void> = Promise.resolve();
  constructor(private current: string) {}
  take(): Promise<Call> {
    return new Promise<Call>((resolveCall) => {
      this.queue = this.queue.then(
        () =>
          new Promise<void>((release) =>
            resolveCall({
              path: '/api/v1/auth/refresh',
              body: { refreshToken: this.current },
              after: (res) => {
                const token = res?.json?.refreshToken;
                if (res?.status === 200 && typeof token === 'string') this.current = token;
                release();
              },
            }),
          ),
      );
    });
  }
}

// ----- Resources -----

const v1 = (path: string): string => `${fx.url}/api/v1${path}`;
const testConfig = () =>
  loadConfig({ DATABASE_URL: requireEnv('TEST_DATABASE_URL'), NODE_ENV: 'test' });

/** A setup call, as the test admin unless `token` says otherwise; any other status fails it. */
async function api(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; status?: number } = {},
): Promise<Record<string, any>> {
  const { body, token, status = 200 } = options;
  const res = await http(method, v1(path), body, {}, token ? { token } : {});
  if (res.status !== status) {
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  return res.body;
}

/** A partnership whose first organisation has two contacts (one approver, one colleague). */
function partnershipRequest(): Record<string, any> {
  const suffix = unique();
  const body = foundingCaseRequest(suffix);
  body.organisations[0].contacts.push({
    name: 'Marta Colleague',
    email: `marta+${suffix}@ivace.example`,
    language: 'es',
    timeZone: 'Europe/Madrid',
  });
  return body;
}

async function createPartnership(token: string): Promise<PartnershipFixture> {
  const body = partnershipRequest();
  const created = await api('POST', '/partnerships', { body, token, status: 201 });
  const asked = body.organisations[0];
  const org = (created.organisations as any[]).find((o) => o.name === asked.name);
  const contact = (i: number): string =>
    org.contacts.find((c: { email: string }) => c.email === asked.contacts[i].email).id;
  return {
    id: created.id,
    title: created.title,
    org: { id: org.id, contacts: [contact(0), contact(1)] },
  };
}

/** A new partnership of three partners like P or Q: one of them may leave. */
async function threePartnerPartnership(c: CallContext): Promise<{ id: string; org: string }> {
  const body = partnershipRequest();
  const third = { ...body.organisations[1], name: `Third partner ${unique()}` };
  third.contacts = [{ ...third.contacts[0], email: `third+${unique()}@eiri.example` }];
  body.organisations.push(third);
  const token = c.ownership === 'own' ? fx.coordinatorA : fx.coordinatorB;
  const created = await api('POST', '/partnerships', { body, token, status: 201 });
  fresh.push(created.id);
  const org = (created.organisations as { id: string; name: string }[]).find(
    (o) => o.name === third.name,
  )!;
  return { id: created.id, org: org.id };
}

/** A new partnership like P (own) or Q (foreign), with its first organisation's contacts. */
async function freshFixture(c: CallContext): Promise<PartnershipFixture> {
  const created = await createPartnership(
    c.ownership === 'own' ? fx.coordinatorA : fx.coordinatorB,
  );
  fresh.push(created.id);
  return created;
}

/** A new partnership like P (own: created by coordinator A) or Q (foreign: by B), in a state. */
async function freshPartnership(
  c: CallContext,
  state?: 'gate-open' | 'advanced' | 'paused' | 'closed',
): Promise<string> {
  const { id } = await createPartnership(c.ownership === 'own' ? fx.coordinatorA : fx.coordinatorB);
  fresh.push(id);
  if (state === 'gate-open' || state === 'advanced') {
    const { gate } = await api('GET', `/partnerships/${id}`);
    for (const { taskId } of gate.blockers as { taskId: string }[]) {
      await api('POST', `/partnerships/${id}/tasks/${taskId}/complete`, { body: {} });
    }
  }
  if (state === 'advanced') await api('POST', `/partnerships/${id}/advance`, { body: {} });
  if (state === 'paused') await api('POST', `/partnerships/${id}/pause`, { body: {} });
  if (state === 'closed') {
    await api('POST', `/partnerships/${id}/close`, { body: { reason: 'matrix' } });
  }
  return id;
}

/** A new optional task of the current stage (done already, if asked), added by the admin. */
async function newTask(partnershipId: string, done = false): Promise<string> {
  const title = `Matrix task ${unique()}`;
  const body = { title, required: false };
  const detail = await api('POST', `/partnerships/${partnershipId}/tasks`, { body, status: 201 });
  const tasks = Object.values(detail.tasksByStage).flat() as { id: string; title: string }[];
  const { id } = tasks.find((t) => t.title === title)!;
  if (done) await api('POST', `/partnerships/${partnershipId}/tasks/${id}/complete`, { body: {} });
  return id;
}

/** A meeting of the partnership's first contact and every actor, a month ahead. */
function eventRequest(contactId?: string): Record<string, unknown> {
  const start = Date.now() + 30 * 86_400_000;
  return {
    kind: 'meeting',
    title: `Matrix meeting ${unique()}`,
    start: new Date(start).toISOString(),
    end: new Date(start + 3_600_000).toISOString(),
    onlineUrl: 'https://meet.example/matrix',
    contactIds: contactId ? [contactId] : [],
    userIds: fx.actors?.map((a) => a.id) ?? [],
    timeZone: 'Europe/Madrid',
  };
}

/** A fresh event on the partnership (for the one-shot cancel). */
async function newEvent(partnershipId: string): Promise<string> {
  return (
    await api('POST', `/partnerships/${partnershipId}/calendar-events`, {
      body: eventRequest(),
      status: 201,
    })
  ).id as string;
}

/** A document to approve; for delegation, by one contact of one organisation only. */
function documentApproval(only?: { organisationId: string; contactId: string }): object {
  return {
    subject: { kind: 'document', title: `Matrix document ${unique()}`, text: 'For the matrix' },
    deadline: inDays(7),
    ...(only && {
      organisations: [
        {
          organisationId: only.organisationId,
          rule: { kind: 'any' },
          approverContactIds: [only.contactId],
        },
      ],
    }),
  };
}

/** A new pending request on P or Q, asked by the admin. */
async function newApproval(ownership: Ownership, forDelegation = false): Promise<string> {
  const { id, org } = fx.partnership[ownership];
  const body = documentApproval(
    forDelegation ? { organisationId: org.id, contactId: org.contacts[0] } : undefined,
  );
  return (await api('POST', `/partnerships/${id}/approvals`, { body, status: 201 })).id;
}

async function addMember(partnershipId: string, userId: string, token?: string): Promise<string> {
  const body = { role: 'observer' };
  await api('PUT', `/partnerships/${partnershipId}/members/${userId}`, { body, token });
  return userId;
}

function webhookRequest(): object {
  // Filtered to a partnership that does not exist: nothing is ever delivered.
  return {
    url: 'http://127.0.0.1:9/matrix',
    secret: `whsec-${randomUUID()}`,
    eventTypes: ['stage.advanced'],
    partnershipIds: [randomUUID()],
  };
}

/** A complete template content: one required task in each stage, titled in every language. */
function templateContent(): Record<string, unknown> {
  const stages = ['introduction', 'area_exploration', 'knowledge_sharing', 'project_proposal'];
  return {
    stages: stages.map((stage) => ({
      stage,
      gate: { consent: 'none' },
      tasks: [
        {
          key: 'meet',
          kind: 'task',
          required: true,
          dueOffsetDays: 5,
          titles: { en: `Meet ${unique()}`, es: 'Reunirse', zh: '开会' },
        },
      ],
    })),
  };
}

/** A template of its own whose version 1 is a draft with a complete content; its key. */
/**
 * The template the matrix's partnerships start with: a key of its own (version 1, the default's
 * version 2 as it is), so that publishing newer versions for the move leaves other tests alone.
 */
const MATRIX_TEMPLATE = `matrix_${randomUUID().slice(0, 8)}`;
let matrixTemplateVersion = Promise.resolve(0);

/** Publishes the next version of the matrix's template (one at a time); its number. */
function newerTemplate(): Promise<number> {
  matrixTemplateVersion = matrixTemplateVersion.then(async (latest) => {
    const copyFrom = latest === 0 ? { key: 'default', version: 2 } : { version: latest };
    const draft = await api('POST', `/templates/${MATRIX_TEMPLATE}/versions`, {
      body: { copyFrom },
      status: 201,
    });
    await api('POST', `/templates/${MATRIX_TEMPLATE}/versions/${draft.version}/publish`);
    return draft.version as number;
  });
  return matrixTemplateVersion;
}

async function newTemplateDraft(): Promise<string> {
  const key = `matrix_${unique()}`;
  await api('POST', `/templates/${key}/versions`, { body: {}, status: 201 });
  await api('PUT', `/templates/${key}/versions/1`, { body: templateContent() });
  return key;
}

async function newWebhook(): Promise<string> {
  return (await api('POST', '/webhooks', { body: webhookRequest(), status: 201 })).id;
}

async function newApiToken(token: string): Promise<{ id: string; token: string }> {
  const body = { name: `matrix ${unique()}` };
  return (await api('POST', '/me/api-tokens', { body, token, status: 201 })) as {
    id: string;
    token: string;
  };
}

async function newUser(role: UserRole): Promise<{ id: string; email: string; password: string }> {
  const email = `${role}-${unique()}@matrix.test`;
  const password = `pw-${randomUUID()}`;
  const body = { email, name: `Matrix ${role}`, role, password };
  return { id: (await api('POST', '/users', { body, status: 201 })).id, email, password };
}

async function session(email: string, password: string): Promise<Record<string, any>> {
  const res = await login(fx.url, email, password);
  if (res.status !== 200) throw new Error(`log in ${email}: ${res.status}`);
  return res.body;
}

// ----- Tokens -----

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function tokenVariants(
  user: { id: string; role: UserRole },
  accessToken: string,
  apiTokens: { live: string; revoked: string },
): Record<TokenVariant, string | null> {
  const secret = authTokenSecret(testConfig());
  const [header, payload, signature] = accessToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  // A character in the middle: the last one carries unused bits, and flipping those may not
  // change the decoded signature at all.
  const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
  const otherKey = createHmac('sha256', 'another-key-of-at-least-32-characters!')
    .update(`${header}.${payload}`)
    .digest('base64url');
  return {
    valid: accessToken,
    // A personal API token acts as its user, with the user's role: the same rights.
    'api-token': apiTokens.live,
    none: null,
    expired: signAccessToken({ sub: user.id, role: user.role }, secret, {
      ttlSeconds: 900,
      now: new Date(Date.now() - 3_600_000),
    }).token,
    'bad-signature': `${header}.${payload}.${flipped}`,
    // The claims rewritten (an admin, for a day longer) under the original signature.
    'forged-claims': `${header}.${b64({ ...claims, role: 'admin', exp: claims.exp + 86_400 })}.${signature}`,
    'alg-none': `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
    'wrong-key': `${header}.${payload}.${otherKey}`,
    'revoked-api-token': apiTokens.revoked,
  };
}

// ----- The cases -----

interface Expected {
  status: number;
  /** problem+json code (not checked on HEAD, which has no body). */
  code?: string;
  /** Access control lets it through: the call must succeed. */
  allowed: boolean;
}

function expectation(
  spec: RouteRule,
  actor: Actor,
  ownership: Ownership | undefined,
  token: TokenVariant,
): Expected {
  const success = { status: spec.ok ?? 200, allowed: true };
  const { rule } = spec;
  if (rule.public) return success;
  if (!SIGNED_IN_WITH.includes(token))
    return { status: 401, code: 'UNAUTHENTICATED', allowed: false };
  if (rule.roles && !rule.roles.includes(actor.role)) {
    return { status: 403, code: 'FORBIDDEN', allowed: false };
  }
  const need = rule.partnership ?? rule.approval;
  if (need) {
    const access = ACCESS[actor.name][ownership!];
    if (access === 'none') {
      const code = rule.approval ? 'APPROVAL_NOT_FOUND' : 'PARTNERSHIP_NOT_FOUND';
      return { status: 404, code, allowed: false };
    }
    if (need === 'act' && access !== 'act')
      return { status: 403, code: 'FORBIDDEN', allowed: false };
  }
  if (spec.ownedByCaller && ownership === 'foreign') {
    return { status: 404, code: 'API_TOKEN_NOT_FOUND', allowed: false };
  }
  return success;
}

interface Case {
  route: ServedRoute;
  spec: RouteRule;
  actor: Actor;
  ownership: Ownership | undefined;
  token: TokenVariant;
  expected: Expected;
}

interface Outcome {
  case: Case;
  got: string;
  pass: boolean;
}

async function run(c: Case): Promise<Outcome> {
  // The one call in the matrix that is only checked to pass access control (see headNeverAnswers).
  const accessOnly = c.expected.allowed && c.route.method === 'HEAD' && !!c.spec.headNeverAnswers;
  let call: Call | undefined;
  let res: RawResponse | undefined;
  try {
    call = await c.spec.call({
      actor: c.actor,
      ownership: c.ownership,
      allowed: c.expected.allowed,
    });
    res = await request(`${fx.url}${call.path}`, c.route.method, {
      token: c.actor.tokens[c.token],
      // GET and HEAD have no body; the others always send one (JSON), as clients do.
      body: ['GET', 'HEAD'].includes(c.route.method) ? undefined : (call.body ?? {}),
      timeoutMs: accessOnly ? 1_000 : 30_000,
    });
  } catch (err) {
    // fetch's errors come from Node's realm, not jest's: no instanceof Error here.
    const { name, message } = err as { name?: string; message?: string };
    if (accessOnly && name === 'AbortError') {
      return { case: c, got: 'no answer: passed access control', pass: true };
    }
    return { case: c, got: `error: ${message ?? String(err)}`, pass: false };
  } finally {
    call?.after?.(res);
  }
  if (!res) return { case: c, got: 'no response', pass: false };
  const { expected } = c;
  let pass = accessOnly ? ![401, 403, 404].includes(res.status) : res.status === expected.status;
  if (pass && expected.code && c.route.method !== 'HEAD') pass = res.code === expected.code;
  if (pass && expected.status === 401) {
    // RFC 6750: the challenge, and whether a token was sent at all.
    pass =
      res.headers.get('www-authenticate') ===
      (c.token === 'none'
        ? 'Bearer realm="entente"'
        : 'Bearer realm="entente", error="invalid_token"');
  }
  const detail = typeof res.json?.detail === 'string' ? ` "${res.json.detail.slice(0, 80)}"` : '';
  return { case: c, got: `${res.status}${res.code ? ` ${res.code}` : ''}${detail}`, pass };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

// ----- The suite -----

describe('authorization matrix (end to end)', () => {
  let platform: Platform;
  let routes: ServedRoute[];

  beforeAll(async () => {
    platform = await startPlatform({
      // Login and refresh are called once per actor and token here; the limits are not under test.
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      LINK_RATE_LIMIT_PER_MINUTE: '100000',
      PARTNERSHIP_TEMPLATE_KEY: MATRIX_TEMPLATE,
    });
    fx = { url: platform.api.url } as Fixtures;
    await newerTemplate();
    const routeTable = servedRoutes();
    routeTable.catch(() => undefined); // awaited below

    const [a, b, o, c, spareMember, spareUser, probe, ...removable] = await Promise.all(
      [
        ...(['coordinator', 'coordinator', 'observer', 'coordinator'] as const),
        // spare member, spare user, login probe, and one to remove per actor and live credential
        ...Array<'observer'>(3 + ACTOR_NAMES.length * SIGNED_IN_WITH.length).fill('observer'),
      ].map(newUser),
    );
    const accounts = [
      { name: 'admin', role: 'admin', email: TEST_ADMIN_EMAIL, password: TEST_ADMIN_PASSWORD },
      { name: 'coordinator', role: 'coordinator', ...a },
      { name: 'observer', role: 'observer', ...o },
      { name: 'coordinator-observer', role: 'coordinator', ...c },
    ] as const;
    const [sessions, bSession, probeSession] = await Promise.all([
      Promise.all(accounts.map((u) => session(u.email, u.password))),
      session(b.email, b.password),
      session(probe.email, probe.password),
    ]);
    fx.actors = await Promise.all(
      accounts.map(async ({ name, role }, i): Promise<Actor> => {
        const { user, accessToken, refreshToken } = sessions[i];
        // A live API token, and one that worked, then was revoked.
        const [live, revoked] = [await newApiToken(accessToken), await newApiToken(accessToken)];
        expect((await request(v1('/me'), 'GET', { token: revoked.token })).status).toBe(200);
        await api('DELETE', `/me/api-tokens/${revoked.id}`, { token: accessToken, status: 204 });
        const tokens = tokenVariants({ id: user.id, role }, accessToken, {
          live: live.token,
          revoked: revoked.token,
        });
        return { name, role, id: user.id, accessToken, refreshToken, tokens };
      }),
    );
    fx.coordinatorA = sessions[1].accessToken;
    fx.coordinatorB = bSession.accessToken;
    fx.probe = { email: probe.email, password: probe.password };
    fx.refreshChain = new RefreshChain(probeSession.refreshToken);
    fx.spareMemberId = spareMember.id;
    fx.spareUserId = spareUser.id;
    fx.removable = removable.map((u) => u.id);

    // Control: a token the test signs with the API's key now is accepted, so the expired and
    // forged variants are refused for what they are, not for a wrong test key.
    const control = signAccessToken(
      { sub: a.id, role: 'coordinator' },
      authTokenSecret(testConfig()),
      {
        ttlSeconds: 60,
      },
    );
    expect((await request(v1('/me'), 'GET', { token: control.token })).status).toBe(200);

    // P: created by A, observed by O and C. Q: created by B. A pending request on each.
    const [own, foreign] = await Promise.all([
      createPartnership(fx.coordinatorA),
      createPartnership(fx.coordinatorB),
    ]);
    fx.partnership = { own, foreign };
    for (const member of [o, c]) await addMember(own.id, member.id, fx.coordinatorA);
    const [ownApproval, foreignApproval] = await Promise.all(
      [
        [own.id, fx.coordinatorA],
        [foreign.id, fx.coordinatorB],
      ].map(([id, token]) =>
        api('POST', `/partnerships/${id}/approvals`, {
          body: documentApproval(),
          token,
          status: 201,
        }),
      ),
    );
    fx.approval = { own: ownApproval.id, foreign: foreignApproval.id };
    fx.link = signApprovalLink(
      {
        approvalId: ownApproval.id,
        contactId: ownApproval.organisations[0].approvers[0].contactId,
        expiresAt: approvalLinkExpiry(new Date(ownApproval.deadline)),
      },
      approvalLinkSecret(testConfig()),
    );
    await api('PATCH', `/partnerships/${own.id}/tasks/${FIRST_TASK}`, {
      body: { assigneeContactId: own.org.contacts[0] },
    });
    fx.taskLink = signTaskLink(
      {
        partnershipId: own.id,
        taskId: FIRST_TASK,
        contactId: own.org.contacts[0],
        expiresAt: new Date(Date.now() + 86_400_000),
      },
      approvalLinkSecret(testConfig()),
    );
    const [ownEvent, foreignEvent] = await Promise.all([
      api('POST', `/partnerships/${own.id}/calendar-events`, {
        body: eventRequest(own.org.contacts[0]),
        token: fx.coordinatorA,
        status: 201,
      }),
      api('POST', `/partnerships/${foreign.id}/calendar-events`, {
        body: eventRequest(),
        token: fx.coordinatorB,
        status: 201,
      }),
    ]);
    fx.event = { own: ownEvent.id, foreign: foreignEvent.id };
    fx.eventLink = signEventLink(
      {
        eventId: ownEvent.id,
        contactId: own.org.contacts[0],
        expiresAt: new Date(ownEvent.end),
      },
      approvalLinkSecret(testConfig()),
    );
    fx.webhookId = await newWebhook();
    fx.templateDraft = await newTemplateDraft();
    fx.foreignApiTokenId = (await newApiToken(fx.coordinatorB)).id;
    routes = await routeTable;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('has exactly one reviewed rule per served route, and the decorators say the same', () => {
    const served = new Set(routes.map((r) => r.key));
    const own = routes.filter((r) => !r.headOf);
    const missing = own
      .filter((r) => !RULES[r.key])
      .map((r) => `${r.key} (${r.handler ?? 'outside Nest'}: ${describeRule(r.declared)})`);
    const unserved = Object.keys(RULES).filter((key) => !served.has(key));
    const disagree = own
      .filter(
        (r) =>
          RULES[r.key] &&
          describeRule(normalise(RULES[r.key].rule)) !== describeRule(normalise(r.declared)),
      )
      .map(
        (r) =>
          `${r.key}: the table says ${describeRule(RULES[r.key].rule)}, ${r.handler ?? 'Fastify'} declares ${describeRule(r.declared)}`,
      );
    const params = own
      .filter(
        (r) =>
          (r.declared.partnership && !r.path.includes('/:id')) ||
          (r.declared.approval && !r.path.includes('/:approvalId')),
      )
      .map((r) => `${r.key}: the partnership rule reads a parameter the path does not have`);
    const headless = routes
      .filter((r) => r.method === 'GET' && !served.has(`HEAD ${r.path}`))
      .map((r) => r.key);
    expect({ missing, unserved, disagree, params }).toEqual({
      missing: [],
      unserved: [],
      disagree: [],
      params: [],
    });
    // Each GET has its HEAD twin, which the matrix calls as well.
    expect(headless).toEqual([]);
  });

  it('lists every OpenAPI operation in the route table; only the approval page is left out of OpenAPI', async () => {
    const doc = (await request(`${fx.url}/api/docs-json`, 'GET')).json;
    const documented = new Set<string>();
    for (const [path, operations] of Object.entries(doc.paths as Record<string, object>)) {
      for (const method of Object.keys(operations)) {
        if (!['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method))
          continue;
        documented.add(`${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`);
      }
    }
    const served = new Set(routes.map((r) => r.key));
    expect([...documented].filter((key) => !served.has(key) || !RULES[key])).toEqual([]);
    // The routes OpenAPI does not describe are still in the table above; these are deliberate.
    const undocumented = routes
      .filter((r) => r.handler && !r.headOf && !documented.has(r.key))
      .map((r) => r.key);
    expect(undocumented.sort()).toEqual(
      [
        'GET /a/:token',
        'POST /a/:token',
        'GET /t/:token',
        'POST /t/:token',
        'GET /e/:token',
        'POST /e/:token',
        'GET /k/:token',
        'POST /k/:token',
        ...WEB_APP_ROUTES.map((route) => `GET ${route}`),
        'GET /assets/:file',
      ].sort(),
    );
  });

  /** Cases run, per served route key (a HEAD twin under its own key). */
  const ran = new Map<string, number>();

  /** The cases of one served route: every actor × own/foreign (where scoped) × credential. */
  function casesOf(route: ServedRoute, spec: RouteRule): Case[] {
    const scoped = spec.rule.partnership || spec.rule.approval || spec.ownedByCaller;
    const cases: Case[] = [];
    for (const actor of fx.actors) {
      for (const ownership of scoped ? (['own', 'foreign'] as const) : [undefined]) {
        for (const token of TOKEN_VARIANTS) {
          cases.push({
            route,
            spec,
            actor,
            ownership,
            token,
            expected: expectation(spec, actor, ownership, token),
          });
        }
      }
    }
    return cases;
  }

  /** Everything a refused write could touch: the database, and P's and Q's workflows. */
  /** Partnerships of other suites (their workflows write on): not this test's to watch. */
  const otherPartnerships = async (): Promise<string[]> => {
    const mine = [fx.partnership.own.id, fx.partnership.foreign.id, ...fresh];
    const { rows } = await platform.pool.query<{ id: string }>(
      'SELECT id::text FROM partnerships WHERE NOT (id::text = ANY($1::text[]))',
      [mine],
    );
    return rows.map((r) => r.id);
  };
  const state = (excludePartnerships: string[]) =>
    snapshot(platform.pool, platform.client, {
      excludePartnerships,
      // Authenticating with an API token stamps it, whatever the request is then refused for.
      ignoreColumns: { 'public.api_tokens': ['last_used_at'] },
      // Written by delivery workflows of other suites' webhooks, never by a request.
      ignoreTables: ['public.webhook_deliveries', 'public.webhook_delivery_attempts'],
      workflowIds: [fx.partnership.own.id, fx.partnership.foreign.id].map(partnershipWorkflowId),
    });
  const settled = () =>
    waitUntilQuiet(platform.pool, platform.client, [
      fx.partnership.own.id,
      fx.partnership.foreign.id,
      ...fresh,
    ]);

  function failures(outcomes: Outcome[]): string {
    const rows = [
      ['route', 'actor', 'ownership', 'token', 'expected', 'got'],
      ...outcomes.map((o) => [
        o.case.route.key,
        o.case.actor.name,
        o.case.ownership ?? '-',
        o.case.token,
        `${o.case.expected.status}${o.case.expected.code ? ` ${o.case.expected.code}` : ''}`,
        o.got,
      ]),
    ];
    return table(rows);
  }

  // One test per reviewed rule (the route and its HEAD twin): RULES is checked against the
  // router by the first test, and the count test below checks against the router again.
  describe('answers every route × actor × own/foreign × token with the exact status', () => {
    it.each(Object.keys(RULES).sort())(
      '%s',
      async (key) => {
        fresh = [];
        const spec = RULES[key];
        const served = routes.filter((r) => (r.headOf ?? r.key) === key);
        expect(served.length).toBeGreaterThan(0); // an unserved rule fails the first test too
        const cases = served.flatMap((route) => casesOf(route, spec));
        const allowed = cases.filter((c) => c.expected.allowed);
        const refused = cases.filter((c) => !c.expected.allowed);
        const writes = !['GET', 'HEAD'].includes(served[0].method);

        const outcomes = await mapLimit(allowed, spec.hashesPassword ? 2 : 12, run);
        // Refused writes, between two snapshots taken once everything before has settled.
        if (writes && refused.length > 0) await settled();
        // Taken once, before the refused writes: a partnership one of them created is watched.
        const others = await otherPartnerships();
        const before = writes && refused.length > 0 ? await state(others) : undefined;
        outcomes.push(...(await mapLimit(refused, 12, run)));
        let changed: string[] = [];
        if (before) {
          await settled();
          changed = diffSnapshots(before, await state(others));
        }
        for (const route of served) {
          ran.set(route.key, cases.filter((c) => c.route === route).length);
        }
        const failed = outcomes.filter((o) => !o.pass);
        expect({
          failed: failed.length > 0 ? failures(failed) : '',
          changedByRefusedWrites: changed,
        }).toEqual({ failed: '', changedByRefusedWrites: [] });
      },
      120_000,
    );
  });

  it('ran every served route × every actor × own/foreign × every credential', () => {
    const expected = new Map(
      routes.map((route) => {
        const spec = RULES[route.headOf ?? route.key];
        const scoped = spec && (spec.rule.partnership || spec.rule.approval || spec.ownedByCaller);
        return [route.key, ACTOR_NAMES.length * (scoped ? 2 : 1) * TOKEN_VARIANTS.length];
      }),
    );
    expect(fx.actors.map((a) => a.name)).toEqual([...ACTOR_NAMES]);
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    const done = [...ran.values()].reduce((a, b) => a + b, 0);
    console.log(`authorization matrix: ${routes.length} routes, ${done} of ${total} cases run`);
    expect(Object.fromEntries([...ran].sort())).toEqual(Object.fromEntries([...expected].sort()));
    expect(done).toBe(total);
  });

  it('lists on the board only the partnerships the caller may see, and counts only those', async () => {
    const seen: Record<string, string[]> = {};
    for (const actor of fx.actors) {
      for (const ownership of ['own', 'foreign'] as const) {
        const { title } = fx.partnership[ownership];
        const q = encodeURIComponent(title);
        const res = await request(v1(`/partnerships?pageSize=100&q=${q}`), 'GET', {
          token: actor.accessToken,
        });
        expect(res.status).toBe(200);
        const listed = (res.json.items as { title: string }[]).some((p) => p.title === title);
        const counted = Object.values(res.json.countsByStage as Record<string, number>);
        // The counts and the total follow the same scope as the items.
        expect({ total: res.json.total, counted: counted.reduce((x, y) => x + y, 0) }).toEqual({
          total: listed ? 1 : 0,
          counted: listed ? 1 : 0,
        });
        if (listed) (seen[actor.name] ??= []).push(ownership);
      }
    }
    expect(seen).toEqual({
      admin: ['own', 'foreign'],
      coordinator: ['own'],
      observer: ['own'],
      'coordinator-observer': ['own'],
    });
  });
});

/** Roles sorted, so that the order they are listed in does not matter. */
function normalise(rule: AccessRule): AccessRule {
  return rule.roles ? { ...rule, roles: [...rule.roles].sort() } : rule;
}
