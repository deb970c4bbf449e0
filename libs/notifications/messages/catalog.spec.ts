import { LANGUAGES } from '../../domain/vocabulary';
import { LOCALES } from '../language';
import { MESSAGES } from '../messages';
import { compileCatalog, PLURAL_CATEGORIES, translationOf } from './catalog';

/** A small reference catalog, standing in for English, to check what tsc accepts. */
const reference = {
  greeting: 'Dear {name},',
  footer: 'Do not reply.',
  nested: { intro: '{who} asks about {what}.' },
  days: { one: '{n} day', other: '{n} days' },
} as const;
const spanish = translationOf<typeof reference>()('es');

describe('translation: what tsc refuses (npm run typecheck fails if any of these compiles)', () => {
  it('accepts a catalog with the same keys, placeholders and its language’s plural forms', () => {
    const es = spanish({
      greeting: 'Estimado/a {name}:',
      footer: 'No responda.',
      nested: { intro: '{who} pregunta por {what}.' },
      days: { one: '{n} día', many: '{n} días', other: '{n} días' },
    });
    expect(es.greeting).toBe('Estimado/a {name}:');
  });

  it('refuses a dropped, a renamed or an extra placeholder', () => {
    const base = {
      footer: 'No responda.',
      days: { one: '{n} día', many: '{n} días', other: '{n} días' },
    } as const;
    spanish({
      ...base,
      // @ts-expect-error {name} is missing
      greeting: 'Estimado/a:',
      nested: { intro: '{who} pregunta por {what}.' },
    });
    spanish({
      ...base,
      // @ts-expect-error {nombre} is not English's {name}
      greeting: 'Estimado/a {nombre}:',
      nested: { intro: '{who} pregunta por {what}.' },
    });
    spanish({
      ...base,
      greeting: 'Estimado/a {name}:',
      // @ts-expect-error {when} is not in English's message
      nested: { intro: '{who} pregunta por {what} {when}.' },
    });
    spanish({
      greeting: 'Estimado/a {name}:',
      nested: { intro: '{who} pregunta por {what}.' },
      days: { one: '{n} día', many: '{n} días', other: '{n} días' },
      // @ts-expect-error a placeholder in a message that has none in English
      footer: 'No responda, {name}.',
    });
  });

  it('refuses a missing or an extra key', () => {
    // @ts-expect-error footer is missing
    spanish({
      greeting: 'Estimado/a {name}:',
      nested: { intro: '{who} pregunta por {what}.' },
      days: { one: '{n} día', many: '{n} días', other: '{n} días' },
    });
    spanish({
      greeting: 'Estimado/a {name}:',
      footer: 'No responda.',
      nested: { intro: '{who} pregunta por {what}.' },
      days: { one: '{n} día', many: '{n} días', other: '{n} días' },
      // @ts-expect-error English has no such key
      signature: 'Entente',
    });
  });

  it('refuses a plural without one of its language’s categories, or with one it does not have', () => {
    const base = {
      greeting: 'Estimado/a {name}:',
      footer: 'No responda.',
      nested: { intro: '{who} pregunta por {what}.' },
    } as const;
    // @ts-expect-error Spanish numbers also fall into "many"
    spanish({ ...base, days: { one: '{n} día', other: '{n} días' } });
    translationOf<typeof reference>()('zh')({
      ...base,
      // @ts-expect-error Chinese has no "one"
      days: { one: '{n} 天', other: '{n} 天' },
    });
    spanish({
      ...base,
      // @ts-expect-error every form keeps the count
      days: { one: 'un día', many: '{n} días', other: '{n} días' },
    });
  });
});

describe(compileCatalog.name, () => {
  const compiled = compileCatalog<typeof reference>(reference, 'en-GB');

  it('fills placeholders by name, each once, and leaves the rest of the text alone', () => {
    expect(compiled.greeting({ name: 'Wang {Fang}' })).toBe('Dear Wang {Fang},');
    expect(compiled.nested.intro({ who: 'Ana', what: '$1 & <b>' })).toBe(
      'Ana asks about $1 & <b>.',
    );
    expect(compiled.footer()).toBe('Do not reply.');
  });

  it('refuses to render a message without a value for one of its placeholders', () => {
    const untyped = compiled.greeting as unknown as (vars: object) => string;
    expect(() => untyped({})).toThrow(/no value for \{name\}/);
  });

  it('picks the plural form by Intl.PluralRules and formats the count in the locale', () => {
    expect(compiled.days({ n: 1 })).toBe('1 day');
    expect(compiled.days({ n: 0 })).toBe('0 days');
    expect(compiled.days({ n: 1500 })).toBe('1,500 days');
    const es = compileCatalog<typeof reference>(
      { ...reference, days: { one: '{n} día', many: '{n} de días', other: '{n} días' } },
      'es-ES',
    );
    expect(es.days({ n: 1 })).toBe('1 día');
    expect(es.days({ n: 14 })).toBe('14 días');
    expect(es.days({ n: 1_000_000 })).toBe('1.000.000 de días');
  });
});

describe('the catalogs', () => {
  it.each(LANGUAGES)('%s: declares the plural categories its locale has', (language) => {
    const categories = new Intl.PluralRules(LOCALES[language].locale).resolvedOptions()
      .pluralCategories;
    expect([...PLURAL_CATEGORIES[language]].sort()).toEqual([...categories].sort());
  });

  it('say the stalled days with the language’s plural', () => {
    expect(MESSAGES.en.stageStalled.days({ n: 1 })).toBe('1 day');
    expect(MESSAGES.en.stageStalled.days({ n: 2 })).toBe('2 days');
    expect(MESSAGES.es.stageStalled.days({ n: 1 })).toBe('1 día');
    expect(MESSAGES.es.stageStalled.days({ n: 1000 })).toBe('1000 días');
    expect(MESSAGES.zh.stageStalled.days({ n: 1 })).toBe('1 天');
  });

  it('give the pages and the e-mails their words in each language', () => {
    expect(MESSAGES.es.approvalPage.intro({ name: 'Raquel' })).toBe(
      'Raquel, se solicita su aprobación.',
    );
    expect(MESSAGES.zh.taskPage.ended({ status: MESSAGES.zh.taskPage.statuses.agreed() })).toBe(
      '此合作项目已结束（已达成协议）。未做任何更改。',
    );
    expect(MESSAGES.en.greeting({ name: 'Ana' })).toBe('Dear Ana,');
  });
});
