/**
 * `npm run seed:demo`: the founding case (docs/founding-case.txt) as a partnership walked to
 * knowledge sharing, through the public API of a running platform (API_URL, default
 * http://localhost:3000). Safe to rerun: the create is idempotent (fixed Idempotency-Key) and every
 * later step is skipped when the partnership is already past it. Logs in as ADMIN_EMAIL /
 * ADMIN_PASSWORD, or as the development admin that `npm start` created.
 *
 * The tasks only the partners' approval completes (the priority areas) are approved as partners
 * approve them: the coordinator requests the approval, and each partner contact answers on the
 * approval page of their link (`/a/:token`). The seed has no mailbox to read those links from, so
 * it signs them as the platform does, with the platform's APPROVAL_LINK_SECRET (in development,
 * where `npm start` runs, the development secret).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { approvalLinkExpiry, signApprovalLink } from '@libs/approval-links';
import { approvalLinkSecret, configObject } from '@libs/config';
import { STAGES } from '@libs/domain';
import type { Stage, Task } from '@libs/domain';
import { ApiSession } from './lib/api-session';

const API_URL = (process.env.API_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const BASE = `${API_URL}/api/v1/partnerships`;
const IDEMPOTENCY_KEY = 'demo-founding-case';
const REQUEST_TIMEOUT_MS = 30_000;
const session = new ApiSession(API_URL);

const STAGE_ORDER = STAGES;

interface Contact {
  id: string;
  name: string;
  language: string;
  timeZone: string;
}

interface Approver {
  contactId: string;
  decision: { outcome: string } | null;
}

interface Approval {
  id: string;
  status: string;
  deadline: string;
  subject: { kind: string; taskId?: string };
  organisations: { organisationId: string; approvers: Approver[] }[];
}

interface Partnership {
  id: string;
  title: string;
  stage: Stage;
  status: string;
  recorded: boolean;
  organisations: { name: string; contacts: (Contact & { email: string })[] }[];
  tasksByStage: Record<string, Task[]>;
  gate: { open: boolean; blockers: { taskId: string; title: string }[] };
}

/** The create request: fixed, so a rerun with the same Idempotency-Key sends the same body. */
const FOUNDING_CASE = {
  title: 'Valencia – Chengdu: clean energy, digitalisation and SME incubation',
  coordinator: { name: 'IURC China programme coordinator', email: 'china@iurc.example' },
  areas: [
    'Innovative solutions and entrepreneurship in clean energy',
    'Internationalisation of companies working in clean energy',
    'Co-organised events, seminars and training programmes on low-carbon energy and entrepreneurship',
  ],
  organisations: [
    {
      name: 'Valencian Institute of Business Competitiveness (IVACE)',
      region: 'Valencian Community',
      country: 'ES',
      kind: 'agency',
      contacts: [
        {
          name: 'Raquel Aguado Muñoz',
          email: 'raquel.aguado@ivace.example',
          role: 'IVACE representative, international projects',
          language: 'es',
          timeZone: 'Europe/Madrid',
        },
      ],
    },
    {
      name: 'Sichuan Energy Internet Research Institute, Tsinghua University (EIRI)',
      region: 'Sichuan, Chengdu',
      country: 'CN',
      kind: 'institute',
      contacts: [
        {
          name: '王芳 (Wang Fang)',
          email: 'wang.fang@eiri.example',
          role: 'EU–China energy innovation cooperation office',
          language: 'zh',
          timeZone: 'Asia/Shanghai',
          workingHours: { start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] },
        },
      ],
    },
  ],
};

/** Tasks beyond the template, added while the partnership is in `introduction`. */
const CUSTOM_TASKS: { title: string; stage: Stage; comment?: string }[] = [
  {
    title: 'Share IVACE circular economy and industrial symbiosis projects',
    stage: 'introduction',
    comment:
      'IVACE shared its ongoing circular economy and industrial symbiosis initiatives with EIRI.',
  },
  {
    title: 'Share EIRI experience of EU–China cooperation in energy innovation',
    stage: 'knowledge_sharing',
  },
];

const INTRODUCTION_COMMENTS: Record<string, string> = {
  'introduction.introductory_meeting':
    'Introductory meeting held online on 28 Feb 2023: IVACE, EIRI and the IURC team discussed energy, digitalisation and SME incubation.',
  'introduction.organisation_profiles':
    'IVACE presented its role promoting business competitiveness in the Valencian region; EIRI presented its cooperation office for a low-carbon energy system.',
  'introduction.ongoing_projects':
    'EIRI shared its experience facilitating EU–China cooperation in energy innovation; IVACE listed its ongoing innovation support programmes.',
};

const AREA_COMMENTS: Record<string, string> = {
  'area_exploration.candidate_areas':
    'Candidates: clean-energy innovation and entrepreneurship, internationalisation of clean-energy companies, co-organised events and training.',
  'area_exploration.regional_differences':
    'Significant differences in entrepreneurship culture, SME maturity, industrial focus, funding and start-up regulation between Valencia and Chengdu.',
  'area_exploration.priority_areas':
    'Both sides agreed to start with knowledge sharing on entrepreneurship culture, support systems, funding environment and start-up regulations.',
};

/**
 * What a partner contact writes when approving the priority areas before the last one does (the
 * last one's words are the task's outcome, AREA_COMMENTS), in their own language.
 */
const PARTNER_APPROVAL_COMMENTS: Record<string, string> = {
  'raquel.aguado@ivace.example':
    'De acuerdo: empezamos por el intercambio de conocimiento sobre cultura emprendedora y apoyo a las pymes.',
  'wang.fang@eiri.example': '同意：先就创业文化、支持体系、融资环境和初创企业法规交流经验。',
};

/** Days the partners are given to answer an approval request. */
const APPROVAL_DAYS = 7;

const ASSIGNED_TASK = 'knowledge_sharing.entrepreneurship_culture';
/** Due three weeks after the assignment is made. */
const DUE_IN_DAYS = 21;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    const problem = body as { code?: string; detail?: string; title?: string } | null;
    super(
      `${what} failed: HTTP ${status}${problem?.code ? ` ${problem.code}` : ''}${
        problem?.detail ? ` – ${problem.detail}` : problem?.title ? ` – ${problem.title}` : ''
      }`,
    );
  }
}

async function api<T>(
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const what = `${method} ${path}`;
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        authorization: await session.authorization(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    throw new Error(
      `The Entente API is not reachable at ${API_URL} (${networkReason(err)}). ` +
        'Start the platform with `npm start` or set API_URL.',
    );
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { detail: text.slice(0, 200) };
  }
  if (!res.ok) throw new ApiError(res.status, parsed, what);
  return parsed as T;
}

function networkReason(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const code = (cause as { code?: string } | undefined)?.code;
    return code ?? (cause instanceof Error ? cause.message : err.message);
  }
  return String(err);
}

const log = (line: string): void => console.log(`[seed] ${line}`);

function stageIndex(stage: Stage): number {
  return STAGE_ORDER.indexOf(stage);
}

function tasksOf(p: Partnership, stage: Stage): Task[] {
  return p.tasksByStage[stage] ?? [];
}

async function completeTasks(
  p: Partnership,
  stage: Stage,
  comments: (task: Task) => string | undefined,
): Promise<Partnership> {
  for (const task of tasksOf(p, stage)) {
    if (task.status === 'done') continue;
    const comment = comments(task);
    if (task.answeredBy === 'partners') {
      p = await partnersApprove(p, task, comment);
      continue;
    }
    p = await api<Partnership>(
      'POST',
      `/${p.id}/tasks/${encodeURIComponent(task.id)}/complete`,
      comment ? { comment } : {},
    );
    log(`completed “${task.title}” (${stage})`);
  }
  return p;
}

/** The secret the platform signs partners' links with (NODE_ENV defaults as in `npm start`). */
function linkSecret(): string {
  const env = configObject.pick({ NODE_ENV: true, APPROVAL_LINK_SECRET: true }).safeParse({
    NODE_ENV: process.env.NODE_ENV || 'development',
    APPROVAL_LINK_SECRET: process.env.APPROVAL_LINK_SECRET || undefined,
  });
  if (!env.success) {
    throw new Error(
      `cannot sign the partners' approval links: ${env.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  }
  return approvalLinkSecret(env.data);
}

/**
 * A task only the partners' approval completes: the coordinator asks for it (or takes up the
 * request still pending from an interrupted run), each partner contact who has not answered yet
 * approves on their approval page, and the seed waits until the approval has completed the task.
 * `comment`, the outcome, is the last partner's (the task's completion carries it).
 */
async function partnersApprove(
  p: Partnership,
  task: Task,
  comment: string | undefined,
): Promise<Partnership> {
  const taskId = encodeURIComponent(task.id);
  const pending = (
    await api<{ items: Approval[] }>('GET', `/${p.id}/approvals?pageSize=100`)
  ).items.find((a) => a.status === 'pending' && a.subject.taskId === task.id);
  const approval =
    pending ??
    (await api<Approval>('POST', `/${p.id}/approvals`, {
      subject: { kind: 'task', taskId: task.id },
      deadline: new Date(Date.now() + APPROVAL_DAYS * 86_400_000).toISOString(),
    }));
  log(`${pending ? 'pending' : 'requested'} the partners' approval of “${task.title}”`);
  const contacts = new Map(
    p.organisations.flatMap((o) => o.contacts).map((c) => [c.id, c] as const),
  );
  const awaited = approval.organisations
    .flatMap((o) => o.approvers)
    .filter((a) => a.decision === null);
  const secret = linkSecret();
  for (const [i, approver] of awaited.entries()) {
    const contact = contacts.get(approver.contactId);
    const token = signApprovalLink(
      {
        approvalId: approval.id,
        contactId: approver.contactId,
        expiresAt: approvalLinkExpiry(new Date(approval.deadline)),
      },
      secret,
    );
    const last = i === awaited.length - 1;
    const words = last ? comment : contact && PARTNER_APPROVAL_COMMENTS[contact.email];
    await answerApprovalPage(token, words, contact?.name ?? approver.contactId);
  }
  const deadline = Date.now() + 30_000;
  for (;;) {
    p = await api<Partnership>('GET', `/${p.id}`);
    const now = tasksOf(p, task.stage).find((t) => t.id === task.id);
    if (now?.status === 'done') return p;
    if (Date.now() > deadline) {
      throw new Error(`“${task.title}” (${taskId}) was not completed by the partners' approval`);
    }
    await delay(250);
  }
}

/** Approves on the page of a partner's approval link, as the partner's form posts it. */
async function answerApprovalPage(
  token: string,
  comment: string | undefined,
  who: string,
): Promise<void> {
  const res = await fetch(`${API_URL}/a/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ decision: 'approve', ...(comment ? { comment } : {}) }).toString(),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  await res.text();
  // 409: this partner's answer is already recorded (an interrupted run); nothing to do.
  if (res.status !== 200 && res.status !== 409) {
    throw new Error(
      `${who}'s approval page answered HTTP ${res.status}` +
        (res.status === 403 || res.status === 404
          ? ' (is APPROVAL_LINK_SECRET the platform’s?)'
          : ''),
    );
  }
  log(`${who} approved on their approval page`);
}

async function advance(p: Partnership, to: Stage, comment: string): Promise<Partnership> {
  if (!p.gate.open) {
    throw new Error(
      `cannot advance ${p.stage}: still open ${p.gate.blockers.map((b) => b.taskId).join(', ')}`,
    );
  }
  p = await api<Partnership>('POST', `/${p.id}/advance`, { comment });
  if (p.stage !== to) throw new Error(`advanced to ${p.stage}, expected ${to}`);
  log(`advanced to ${p.stage}`);
  return p;
}

/** Waits until the read model has the partnership (the create may answer 202 under load). */
async function waitRecorded(id: string): Promise<Partnership> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const p = await api<Partnership>('GET', `/${id}`);
    if (p.recorded && p.organisations.length > 0) return p;
    if (Date.now() > deadline) throw new Error(`partnership ${id} was not recorded within 30 s`);
    await delay(250);
  }
}

async function main(): Promise<void> {
  log(`API ${API_URL}`);
  const created = await api<Partnership>('POST', '', FOUNDING_CASE, {
    'idempotency-key': IDEMPOTENCY_KEY,
  });
  let p = await waitRecorded(created.id);
  log(`partnership ${p.id} (“${p.title}”) is at ${p.stage}, status ${p.status}`);
  if (p.status !== 'active') {
    throw new Error(`the demo partnership is ${p.status}; only an active one can be walked on`);
  }

  if (p.stage === 'introduction') {
    for (const custom of CUSTOM_TASKS) {
      if (tasksOf(p, custom.stage).some((t) => t.title === custom.title)) continue;
      p = await api<Partnership>('POST', `/${p.id}/tasks`, {
        title: custom.title,
        stage: custom.stage,
      });
      log(`added task “${custom.title}” (${custom.stage})`);
    }
    p = await completeTasks(
      p,
      'introduction',
      (t) => CUSTOM_TASKS.find((c) => c.title === t.title)?.comment ?? INTRODUCTION_COMMENTS[t.id],
    );
    p = await advance(
      p,
      'area_exploration',
      'Introductions done; exploring clean energy, internationalisation and events.',
    );
  } else {
    log('introduction already done: skipped');
  }

  if (p.stage === 'area_exploration') {
    p = await completeTasks(p, 'area_exploration', (t) => AREA_COMMENTS[t.id]);
    p = await advance(
      p,
      'knowledge_sharing',
      'IURC suggested starting with knowledge sharing given the differences between the regions.',
    );
  } else {
    log('area exploration already done: skipped');
  }

  if (p.stage === 'knowledge_sharing') {
    const chinese = p.organisations
      .flatMap((o) => o.contacts)
      .find((c) => c.language === 'zh' && c.timeZone === 'Asia/Shanghai');
    if (!chinese) throw new Error('the EIRI contact (zh, Asia/Shanghai) is missing');
    const task = tasksOf(p, 'knowledge_sharing').find((t) => t.id === ASSIGNED_TASK);
    if (!task) throw new Error(`task ${ASSIGNED_TASK} is missing from the template`);
    if (task.assigneeContactId !== chinese.id || task.dueDate === null) {
      const dueDate =
        task.dueDate ?? new Date(Date.now() + DUE_IN_DAYS * 86_400_000).toISOString().slice(0, 10);
      p = await api<Partnership>('PATCH', `/${p.id}/tasks/${encodeURIComponent(task.id)}`, {
        assigneeContactId: chinese.id,
        dueDate,
      });
      log(`assigned “${task.title}” to ${chinese.name}, due ${dueDate}`);
    } else {
      log(`“${task.title}” already assigned to ${chinese.name} (due ${task.dueDate}): skipped`);
    }
  } else if (stageIndex(p.stage) > stageIndex('knowledge_sharing')) {
    log('knowledge sharing already passed: skipped');
  }

  p = await api<Partnership>('GET', `/${p.id}`);
  console.log('');
  console.log(`Partnership  ${p.id}`);
  console.log(`Stage        ${p.stage} (${p.status})`);
  console.log(`Timeline     ${BASE}/${p.id}/timeline`);
}

main().catch((err: unknown) => {
  console.error(`[seed] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
