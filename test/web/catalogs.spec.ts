import { ErrorCode, TIMELINE_EVENT_TYPES } from '@libs/domain';
import en from '../../web/src/i18n/en';
import es from '../../web/src/i18n/es';
import zh from '../../web/src/i18n/zh';

/**
 * The web app's catalogs: the same keys in every language (the `Catalog` type says so at build
 * time; this says which key, at test time too) and the same {{placeholders}} in each message, so
 * no screen shows a raw key or an empty hole in Spanish or Chinese.
 */
type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\{\s*([a-zA-Z]+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('web app catalogs', () => {
  const reference = leaves(en as unknown as Tree);

  it.each([
    ['es', es],
    ['zh', zh],
  ])('%s has every English key, no other, and no empty message', (_name, catalog) => {
    const keys = leaves(catalog as unknown as Tree);
    expect([...reference.keys()].filter((k) => !keys.has(k))).toEqual([]);
    expect([...keys.keys()].filter((k) => !reference.has(k))).toEqual([]);
    expect([...keys].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
  });

  it.each([
    ['es', es],
    ['zh', zh],
  ])('%s keeps the placeholders of each English message', (_name, catalog) => {
    const keys = leaves(catalog as unknown as Tree);
    const wrong = [...reference]
      .filter(([key, text]) => {
        const translated = keys.get(key);
        // A plural form may leave out {{count}} ("one day"), never add or rename one.
        const expected = placeholders(text).filter((p) => !(key.endsWith('_one') && p === 'count'));
        const got = translated
          ? placeholders(translated).filter((p) => !(key.endsWith('_one') && p === 'count'))
          : [];
        return translated !== undefined && expected.join() !== got.join();
      })
      .map(([key]) => key);
    expect(wrong).toEqual([]);
  });

  it('has words for every refusal the API can give and every timeline event (never a raw code on screen)', () => {
    expect(Object.values(ErrorCode).filter((code) => !(code in en.errors))).toEqual([]);
    expect(TIMELINE_EVENT_TYPES.filter((type) => !(type in en.events))).toEqual([]);
  });

  it('words Chinese and Spanish readers see are not left in English', () => {
    // Spot checks of words a reader meets first: a copy-paste of the English catalog fails here.
    for (const key of [
      'board.title',
      'stages.introduction',
      'partnership.advance',
      'login.submit',
    ]) {
      expect([key, leaves(es as unknown as Tree).get(key)]).not.toEqual([key, reference.get(key)]);
      expect([key, leaves(zh as unknown as Tree).get(key)]).not.toEqual([key, reference.get(key)]);
    }
  });
});
