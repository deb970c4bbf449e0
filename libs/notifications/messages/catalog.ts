import type { Language } from '../../domain/vocabulary';
import type { en } from './en';

/**
 * The shape of a message catalog: every word Entente writes to people outside the web app (the
 * e-mails, the partner pages at /a/:token and /t/:token), one catalog per language (en.ts, es.ts,
 * zh.ts). A message is a string with named placeholders, `'Dear {name},'`; a count is a plural,
 * one string per plural category of the language (`Intl.PluralRules`), with the count as `{n}`.
 *
 * English is the reference: `translation(language)` accepts a catalog only if it has exactly
 * English's keys and, in every message, exactly English's placeholders (a missing or extra key, a
 * dropped or misspelt placeholder, a plural without one of its language's categories is a tsc
 * error at the message). `compileCatalog` turns a catalog into functions with typed parameters.
 */

/** The plural categories each language's numbers fall into (CLDR, as `Intl.PluralRules` has them). */
export const PLURAL_CATEGORIES = {
  en: ['one', 'other'],
  es: ['one', 'many', 'other'],
  zh: ['other'],
} as const satisfies Record<Language, readonly Intl.LDMLPluralRule[]>;

type PluralCategory<L extends Language> = (typeof PLURAL_CATEGORIES)[L][number];

/** A count's forms: `{ one: '{n} day', other: '{n} days' }`. Every language has `other`. */
export type PluralForms = { readonly other: string } & {
  readonly [C in Exclude<Intl.LDMLPluralRule, 'other'>]?: string;
};

export interface MessageTree {
  readonly [key: string]: string | PluralForms | MessageTree;
}

/** The placeholder names of a message: `'{a} and {b}'` → `'a' | 'b'`. */
export type Placeholders<S> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** What tsc prints at a message whose placeholders differ from English's. */
type PlaceholderMismatch<Expected extends string> = [Expected] extends [never]
  ? 'this message must have no placeholders, as in English'
  : `this message must have exactly the placeholders of English: ${`{${Expected}}`}`;

type PluralPlaceholders<R> = { [C in keyof R]: Placeholders<R[C]> }[keyof R];

type CheckedMessage<T, Expected extends string> = T extends string
  ? Same<Placeholders<T>, Expected> extends true
    ? T
    : PlaceholderMismatch<Expected>
  : string;

/** `T` as a translation of `R` into `L`: the same keys, the same placeholders, L's plural forms. */
export type Translation<T, R, L extends Language> = {
  readonly [K in keyof R]: K extends keyof T
    ? R[K] extends string
      ? CheckedMessage<T[K], Placeholders<R[K]>>
      : R[K] extends PluralForms
        ? {
            readonly [C in PluralCategory<L>]: C extends keyof T[K]
              ? CheckedMessage<T[K][C], PluralPlaceholders<R[K]>>
              : string;
          } & { readonly [C in Exclude<keyof T[K], PluralCategory<L>>]: never }
        : Translation<T[K], R[K], L>
    : R[K] extends string
      ? string
      : R[K];
} & { readonly [K in Exclude<keyof T, keyof R>]: never };

/** Checks catalogs against the reference `R` (English for Entente's: see `translation`). */
export function translationOf<R extends MessageTree>() {
  return <L extends Language>(language: L) => {
    void language; // only its type matters: it picks the plural categories
    return <const T extends Translation<T, R, L>>(messages: T): T => messages;
  };
}

/** `translation('es')({...})`: the catalog as written, once tsc has checked it against English. */
export const translation = translationOf<typeof en>();

/** A compiled message: named string placeholders; none for a message without. */
export type Message<V extends string> = [V] extends [never]
  ? (vars?: Readonly<Record<string, never>>) => string
  : (vars: Readonly<Record<V, string>>) => string;

/** A compiled plural: the count `n` as a number, formatted in the language's locale. */
export type PluralMessage<V extends string> = (
  vars: Readonly<{ n: number } & Record<Exclude<V, 'n'>, string>>,
) => string;

export type Compiled<R> = {
  readonly [K in keyof R]: R[K] extends string
    ? Message<Placeholders<R[K]>>
    : R[K] extends PluralForms
      ? PluralMessage<PluralPlaceholders<R[K]>>
      : Compiled<R[K]>;
};

const PLACEHOLDER = /\{([^{}]+)\}/g;

function fill(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (match, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new RangeError(`no value for ${match} in "${template}"`);
    return value;
  });
}

function isPlural(value: string | PluralForms | MessageTree): value is PluralForms {
  return typeof value === 'object' && typeof value.other === 'string';
}

/** The catalog as functions: `m.greeting({ name })`, `m.stageStalled.days({ n: 14 })`. */
export function compileCatalog<R extends MessageTree>(
  catalog: MessageTree,
  locale: string,
): Compiled<R> {
  const rules = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  const compile = (tree: MessageTree): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(tree).map(([key, value]) => {
        if (typeof value === 'string') {
          return [key, (vars: Record<string, string> = {}) => fill(value, vars)];
        }
        if (isPlural(value)) {
          return [
            key,
            ({ n, ...vars }: { n: number } & Record<string, string>) =>
              fill(value[rules.select(n)] ?? value.other, { ...vars, n: numbers.format(n) }),
          ];
        }
        return [key, compile(value)];
      }),
    );
  return compile(catalog) as Compiled<R>;
}
