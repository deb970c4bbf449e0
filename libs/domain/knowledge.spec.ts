import {
  contributionProblems,
  decideKnowledge,
  initialKnowledge,
  isKnowledgeLink,
  knowledgeFromEvents,
  knowledgeGaps,
  KnowledgeState,
  MAX_KNOWLEDGE_LINKS,
  MAX_KNOWLEDGE_TEXT_LENGTH,
  topicComplete,
} from './knowledge';
import { decide, gateBlockers, LifecycleState } from './lifecycle';

const VALENCIA = '11111111-1111-4111-8111-111111111111';
const CHENGDU = '22222222-2222-4222-8222-222222222222';
const ORGS = [VALENCIA, CHENGDU];

function contributed(pairs: [string, string][], requireContributions = true): KnowledgeState {
  return {
    ...initialKnowledge(),
    requireContributions,
    contributions: Object.fromEntries(
      pairs.map(([t, o]) => [`${t}/${o}`, { revision: 1, fingerprint: 'x' }]),
    ),
  };
}

const ALL: [string, string][] = [
  ['entrepreneurship_culture', VALENCIA],
  ['entrepreneurship_culture', CHENGDU],
  ['funding_environment', VALENCIA],
  ['funding_environment', CHENGDU],
  ['startup_regulations', VALENCIA],
  ['startup_regulations', CHENGDU],
];

describe(knowledgeGaps.name, () => {
  it.each<[string, KnowledgeState | undefined, string[]]>([
    ['no knowledge state (a run from before)', undefined, []],
    ['the gate does not ask', contributed([], false), []],
    [
      'nothing contributed: every required topic × organisation',
      contributed([]),
      ALL.map(([t, o]) => `${t}/${o}`),
    ],
    [
      'one side of one topic missing',
      contributed(ALL.filter(([t, o]) => !(t === 'funding_environment' && o === CHENGDU))),
      [`funding_environment/${CHENGDU}`],
    ],
    ['everything contributed', contributed(ALL), []],
    [
      'an optional custom topic is not needed',
      {
        ...contributed(ALL),
        topics: [
          ...initialKnowledge().topics,
          { key: 'k', title: 'Procurement', required: false, source: 'custom' },
        ],
      },
      [],
    ],
    [
      'a required custom topic is needed from both',
      {
        ...contributed(ALL),
        topics: [
          ...initialKnowledge().topics,
          { key: 'k', title: 'Procurement', required: true, source: 'custom' },
        ],
      },
      [`k/${VALENCIA}`, `k/${CHENGDU}`],
    ],
  ])('%s', (_, knowledge, expected) => {
    expect(knowledgeGaps(knowledge, ORGS).map((g) => `${g.topicKey}/${g.organisationId}`)).toEqual(
      expected,
    );
  });
});

describe('the knowledge-sharing gate in the lifecycle rule book', () => {
  const base = (stage: LifecycleState['stage'], knowledge?: KnowledgeState): LifecycleState => ({
    stage,
    status: 'active',
    tasks: [],
    contactIds: [],
    knowledge,
    organisationIds: ORGS,
  });
  const ctx = { now: '2027-03-01T10:00:00Z', newTaskId: 'n', actor: { kind: 'system' } } as const;

  it.each<[string, LifecycleState, string | undefined]>([
    [
      'refuses to leave knowledge sharing with gaps',
      base('knowledge_sharing', contributed([])),
      'KNOWLEDGE_CONTRIBUTIONS_MISSING',
    ],
    ['opens once every contribution is in', base('knowledge_sharing', contributed(ALL)), undefined],
    [
      'asks nothing when the gate is off',
      base('knowledge_sharing', contributed([], false)),
      undefined,
    ],
    ['asks nothing of other stages', base('area_exploration', contributed([])), undefined],
    ['asks nothing of runs without knowledge state', base('knowledge_sharing'), undefined],
  ])('%s', (_, state, code) => {
    const d = decide(state, { type: 'advance' }, ctx);
    if (code) {
      expect(d).toMatchObject({ ok: false, rejection: { code } });
      if (!d.ok) expect(d.rejection.blockers).toEqual(gateBlockers(state));
    } else expect(d.ok).toBe(true);
  });

  it('names each missing topic and organisation as a knowledge blocker', () => {
    const state = base('knowledge_sharing', contributed(ALL.slice(1)));
    expect(gateBlockers(state)).toEqual([
      {
        kind: 'knowledge',
        topicKey: 'entrepreneurship_culture',
        title: 'Entrepreneurship culture and support system',
        organisationId: VALENCIA,
      },
    ]);
  });

  it('reports open tasks before missing contributions', () => {
    const state: LifecycleState = {
      ...base('knowledge_sharing', contributed([])),
      tasks: [
        {
          id: 'knowledge_sharing.seminar',
          stage: 'knowledge_sharing',
          title: 'Seminar',
          required: true,
          kind: 'task',
          status: 'open',
          assigneeContactId: null,
          dueDate: null,
          source: 'template',
          completedAt: null,
        },
      ],
    };
    expect(decide(state, { type: 'advance' }, ctx)).toMatchObject({
      ok: false,
      rejection: { code: 'GATE_TASKS_OPEN' },
    });
  });
});

describe(decideKnowledge.name, () => {
  const contribution = {
    type: 'contribute' as const,
    topicKey: 'funding_environment',
    organisationId: CHENGDU,
    text: '  成都有天使投资基金。 ',
    language: 'zh' as const,
    links: ['https://example.cn/fund', 'https://example.cn/fund '],
  };

  it('records a first contribution as revision 1, trimmed, links without repeats', () => {
    const d = decideKnowledge(initialKnowledge(), ORGS, contribution, 'k');
    expect(d).toMatchObject({
      ok: true,
      revision: 1,
      events: [
        {
          type: 'knowledge.contributed',
          payload: {
            text: '成都有天使投资基金。',
            language: 'zh',
            links: ['https://example.cn/fund'],
          },
        },
      ],
    });
  });

  it('records nothing for the same contribution again, a new revision for an edit', () => {
    const first = decideKnowledge(initialKnowledge(), ORGS, contribution, 'k');
    if (!first.ok) throw new Error('refused');
    const again = decideKnowledge(first.knowledge, ORGS, contribution, 'k');
    expect(again).toMatchObject({ ok: true, events: [], revision: 1 });
    const edit = decideKnowledge(first.knowledge, ORGS, { ...contribution, text: '更新' }, 'k');
    expect(edit).toMatchObject({ ok: true, revision: 2 });
  });

  it.each<[string, Parameters<typeof decideKnowledge>[2], string]>([
    ['an unknown topic', { ...contribution, topicKey: 'nope' }, 'KNOWLEDGE_TOPIC_NOT_FOUND'],
    ['a foreign organisation', { ...contribution, organisationId: 'x' }, 'KNOWLEDGE_NOT_A_PARTNER'],
    ['an empty text', { ...contribution, text: '   ' }, 'VALIDATION_FAILED'],
    ['a bad link', { ...contribution, links: ['javascript:alert(1)'] }, 'VALIDATION_FAILED'],
    ['an empty topic title', { type: 'addTopic', title: ' ', required: true }, 'VALIDATION_FAILED'],
  ])('refuses %s', (_, action, code) => {
    expect(decideKnowledge(initialKnowledge(), ORGS, action, 'k')).toMatchObject({
      ok: false,
      code,
    });
  });

  it('adds a topic once: the same title in another case answers the existing key', () => {
    const d = decideKnowledge(
      initialKnowledge(),
      ORGS,
      { type: 'addTopic', title: 'Procurement', required: false },
      'k1',
    );
    if (!d.ok) throw new Error('refused');
    expect(d.topicKey).toBe('k1');
    expect(
      decideKnowledge(
        d.knowledge,
        ORGS,
        { type: 'addTopic', title: 'PROCUREMENT ', required: true },
        'k2',
      ),
    ).toMatchObject({ ok: true, events: [], topicKey: 'k1' });
  });

  it('changes the gate setting once', () => {
    const on = decideKnowledge(
      initialKnowledge(),
      ORGS,
      { type: 'setGate', requireContributions: true },
      'k',
    );
    expect(on).toMatchObject({ ok: true, events: [{ type: 'knowledge.gate_changed' }] });
    if (!on.ok) return;
    expect(
      decideKnowledge(on.knowledge, ORGS, { type: 'setGate', requireContributions: true }, 'k'),
    ).toMatchObject({ ok: true, events: [] });
  });

  it('folds the recorded events back into the state it decided', () => {
    let knowledge = initialKnowledge();
    const events = [];
    for (const action of [
      { type: 'setGate', requireContributions: true } as const,
      { type: 'addTopic', title: 'Procurement', required: true } as const,
      contribution,
      { ...contribution, text: '第二版' },
    ]) {
      const d = decideKnowledge(knowledge, ORGS, action, 'k1');
      if (!d.ok) throw new Error('refused');
      knowledge = d.knowledge;
      events.push(
        ...d.events.map((e) => ({
          ...e,
          actor: { kind: 'system' as const },
          occurredAt: '2027-03-01T10:00:00Z',
        })),
      );
    }
    const folded = knowledgeFromEvents(events);
    expect(folded.knowledge).toEqual(knowledge);
    expect(folded.contributions[`funding_environment/${CHENGDU}`]).toMatchObject({
      revision: 2,
      text: '第二版',
    });
  });
});

describe(topicComplete.name, () => {
  it.each<[[string, string][], boolean]>([
    [[], false],
    [[['funding_environment', VALENCIA]], false],
    [
      [
        ['funding_environment', VALENCIA],
        ['funding_environment', CHENGDU],
      ],
      true,
    ],
  ])('%j → %s', (pairs, expected) => {
    expect(topicComplete(contributed(pairs), ORGS, 'funding_environment')).toBe(expected);
  });
});

describe(contributionProblems.name, () => {
  it.each<[string, Parameters<typeof contributionProblems>[0], string[]]>([
    ['a good one', { text: 'Hola', language: 'es', links: ['https://ivace.es/a?b=1#c'] }, []],
    [
      'too long',
      { text: 'a'.repeat(MAX_KNOWLEDGE_TEXT_LENGTH + 1), language: 'es', links: [] },
      ['text'],
    ],
    ['unknown language', { text: 'x', language: 'fr' as 'es', links: [] }, ['language']],
    [
      'too many links',
      { text: 'x', language: 'en', links: Array(MAX_KNOWLEDGE_LINKS + 1).fill('https://a.es') },
      ['links'],
    ],
    ['an ftp link', { text: 'x', language: 'en', links: ['ftp://a.es/x'] }, ['links[0]']],
  ])('%s', (_, input, fields) => {
    expect(contributionProblems(input).map((p) => p.field)).toEqual(fields);
  });
});

describe(isKnowledgeLink.name, () => {
  it.each<[string, boolean]>([
    ['https://www.ivace.es/index.php/es/', true],
    ['http://[::1]:8080/x', true],
    ['https://中国.cn', false],
    ['https://example.com/a b', false],
    ['https://', false],
    ['mailto:a@b.c', false],
    ['https://e.com/"onmouseover', false],
  ])('%s → %s', (link, expected) => {
    expect(isKnowledgeLink(link)).toBe(expected);
  });
});
