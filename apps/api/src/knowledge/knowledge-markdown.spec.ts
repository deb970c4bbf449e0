import type { KnowledgeComparisonView } from './knowledge.dto';
import { escapeMarkdown, renderKnowledgeMarkdown } from './knowledge-markdown';

describe(escapeMarkdown.name, () => {
  it.each<[string, string, string]>([
    ['plain words', 'Fondos públicos', 'Fondos públicos'],
    ['emphasis', '*a* _b_', '\\*a\\* \\_b\\_'],
    ['a heading at a line start', '# not a heading', '\\# not a heading'],
    ['a list item', '- item', '\\- item'],
    ['an ordered list', '1. first', '1\\. first'],
    ['HTML', '<script>alert(1)</script>', '\\<script\\>alert\\(1\\)\\</script\\>'],
    ['a link', '[x](javascript:alert(1))', '\\[x\\]\\(javascript:alert\\(1\\)\\)'],
    ['an entity', '&lt;', '\\&lt;'],
    ['a table row', 'a | b', 'a \\| b'],
    ['code', '`rm -rf`', '\\`rm \\-rf\\`'],
    [
      'Chinese, full-width punctuation untouched',
      '成都：天使投资（基金）',
      '成都：天使投资（基金）',
    ],
    ['line breaks kept as hard breaks', 'one\ntwo', 'one\\\ntwo'],
    ['leading spaces are no code block', '    code', '&#32;&#32;&#32;&#32;code'],
  ])('%s', (_, text, expected) => {
    expect(escapeMarkdown(text)).toBe(expected);
  });
});

describe(renderKnowledgeMarkdown.name, () => {
  const es = '11111111-1111-4111-8111-111111111111';
  const cn = '22222222-2222-4222-8222-222222222222';
  const comparison: KnowledgeComparisonView = {
    partnershipId: '33333333-3333-4333-8333-333333333333',
    title: 'Valencia – Chengdu',
    requireContributions: true,
    organisations: [
      { id: es, name: 'IVACE', country: 'ES' },
      { id: cn, name: 'EIRI', country: 'CN' },
    ],
    topics: [
      {
        key: 'funding_environment',
        title: 'Funding environment',
        required: true,
        source: 'default',
        sides: [
          {
            organisationId: es,
            contribution: {
              topicKey: 'funding_environment',
              organisationId: es,
              revision: 2,
              text: 'Ayudas del IVACE *y* CDTI',
              language: 'es',
              links: ['https://www.ivace.es/'],
              author: { kind: 'contact', name: 'Raquel' },
              at: '2027-03-01T09:30:00.000Z',
            },
          },
          {
            organisationId: cn,
            contribution: {
              topicKey: 'funding_environment',
              organisationId: cn,
              revision: 1,
              text: '成都天使投资引导基金',
              language: 'zh',
              links: [],
              author: { kind: 'contact', name: '李娜' },
              at: '2027-03-02T01:00:00.000Z',
            },
          },
        ],
      },
      {
        key: 'k',
        title: 'Public procurement',
        required: false,
        source: 'custom',
        sides: [
          { organisationId: es, contribution: null },
          { organisationId: cn, contribution: null },
        ],
      },
    ],
    missing: [],
  };

  it('renders each topic with both contributions as written, authors, dates and links', () => {
    expect(renderKnowledgeMarkdown(comparison, new Date('2027-03-03T12:00:00Z'))).toBe(
      [
        '# Knowledge sharing: Valencia – Chengdu',
        '',
        'Exported 2027-03-03 12:00 UTC. Each contribution is shown as its author wrote it, in its own language.',
        '',
        '## 1\\. Funding environment (required)',
        '',
        '### IVACE \\(ES\\) — Spanish',
        '',
        '_Raquel, 2027-03-01 09:30 UTC, version 2_',
        '',
        'Ayudas del IVACE \\*y\\* CDTI',
        '',
        'Links:',
        '',
        '- <https://www.ivace.es/>',
        '',
        '### EIRI \\(CN\\) — Chinese',
        '',
        '_李娜, 2027-03-02 01:00 UTC, version 1_',
        '',
        '成都天使投资引导基金',
        '',
        '## 2\\. Public procurement',
        '',
        '### IVACE \\(ES\\)',
        '',
        '_No contribution yet._',
        '',
        '### EIRI \\(CN\\)',
        '',
        '_No contribution yet._',
        '',
      ].join('\n'),
    );
  });
});
