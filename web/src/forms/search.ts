/** Finding choices by what is typed: the combobox's filter, kept pure so it is tested alone. */
import type { PlaceOption } from './places';

/** Lower case, accents and underscores away: "São_Paulo" is found by "sao paulo". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/_/g, ' ')
    .toLowerCase()
    .trim();
}

/**
 * Options whose words contain every word typed: first the one named exactly (code, name), then
 * those starting with the text, then the rest.
 */
export function filterOptions(options: PlaceOption[], text: string): PlaceOption[] {
  const query = fold(text);
  if (!query) return options;
  const words = query.split(/\s+/);
  const matches = options.filter((o) => {
    const haystack = fold(`${o.label} ${o.value} ${o.search ?? ''}`);
    return words.every((w) => haystack.includes(w));
  });
  const starts = (o: PlaceOption): boolean =>
    fold(o.label).startsWith(query) ||
    fold(o.value).startsWith(query) ||
    fold(o.label)
      .split(/[\s/]+/)
      .some((part) => part.startsWith(query));
  const exact = (o: PlaceOption): boolean => fold(o.value) === query || fold(o.label) === query;
  const rank = (o: PlaceOption): number => (exact(o) ? 0 : starts(o) ? 1 : 2);
  // Array.prototype.sort is stable: within a rank the given order (by name) stays.
  return matches.sort((a, b) => rank(a) - rank(b));
}

/** The option a typed text names exactly (its value, its label, or what the field shows). */
export function optionNamed(
  options: PlaceOption[],
  text: string,
  display: (o: PlaceOption) => string,
): PlaceOption | undefined {
  const t = fold(text);
  if (!t) return undefined;
  return options.find((o) => fold(o.value) === t || fold(o.label) === t || fold(display(o)) === t);
}
