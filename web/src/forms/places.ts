/**
 * The choices of the country and time-zone pickers, built from the runtime's own Intl data: no
 * list to keep up to date, names in the viewer's language.
 */

/**
 * Region codes Intl names that are no ISO 3166-1 alpha-2 country (the API's IsISO31661Alpha2
 * refuses them): exceptional reservations (AC, CP, DG, EA, IC, TA…), withdrawn codes (AN, CS,
 * YU…), groupings (EU, EZ, UN, QO) and user-assigned codes (XA, XB, XK, ZZ).
 */
const NOT_ISO = new Set(
  'AC AN BU CP CQ CS DD DG DY EA EU EZ FX HV IC NH QO RH SU TA TP UK UN VD XA XB XK YD YU ZR ZZ'.split(
    ' ',
  ),
);

let codes: string[] | undefined;

/** ISO 3166-1 alpha-2 codes, found by asking Intl to name each pair of letters. */
export function countryCodes(): string[] {
  if (codes) return codes;
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const found: string[] = [];
  for (const a of letters) {
    for (const b of letters) {
      const code = a + b;
      if (NOT_ISO.has(code)) continue;
      try {
        if (names.of(code)) found.push(code);
      } catch {
        // not a region code
      }
    }
  }
  codes = found;
  return found;
}

export function isCountryCode(value: string): boolean {
  const list = countryCodes();
  // A runtime without region names: the shape is all that can be checked here.
  return list.length > 0 ? list.includes(value) : /^[A-Z]{2}$/.test(value);
}

export interface PlaceOption {
  value: string;
  label: string;
  /** Shown after the label, smaller. */
  hint?: string;
  /** More words that find it (the English name, the code). */
  search?: string;
}

/** Countries named in `locale`, sorted by that name; found by their English name and code too. */
export function countryOptions(locale: string): PlaceOption[] {
  const local = new Intl.DisplayNames([locale], { type: 'region' });
  const english = new Intl.DisplayNames(['en'], { type: 'region' });
  const collator = new Intl.Collator(locale);
  return countryCodes()
    .map((code) => ({
      value: code,
      label: local.of(code) ?? code,
      hint: code,
      search: `${code} ${english.of(code) ?? ''}`,
    }))
    .sort((a, b) => collator.compare(a.label, b.label));
}

let zones: string[] | undefined;

/** IANA zone names this runtime knows (canonical ones), with UTC. */
export function timeZoneNames(): string[] {
  if (zones) return zones;
  const list =
    typeof Intl.supportedValuesOf === 'function' ? [...Intl.supportedValuesOf('timeZone')] : [];
  if (!list.includes('UTC')) list.push('UTC');
  zones = list.sort();
  return zones;
}

/** "UTC+08:00" for a zone at an instant. */
export function utcOffset(timeZone: string, at: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  // Intl writes GMT (and plain "GMT" for zero): shown as UTC±hh:mm, alike for every zone.
  return !part || part === 'GMT' ? 'UTC+00:00' : part.replace('GMT', 'UTC');
}

/** Minutes east of UTC of "UTC+05:30". */
function offsetMinutes(offset: string): number {
  const m = /([+-])(\d{2}):(\d{2})/.exec(offset);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** Zones with their offset and local time now ("UTC+08:00 · 17:05"), found by city too. */
export function timeZoneOptions(locale: string, at = new Date()): PlaceOption[] {
  // One formatter for every clock: the zone's time is UTC shifted by its offset (one Intl call
  // per zone instead of two; 400-odd zones).
  const clock = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    hour: '2-digit',
    minute: '2-digit',
  });
  return timeZoneNames().map((zone) => {
    const offset = utcOffset(zone, at);
    const local = new Date(at.getTime() + offsetMinutes(offset) * 60_000);
    return {
      value: zone,
      label: zone,
      hint: `${offset} · ${clock.format(local)}`,
      search: zone.replace(/_/g, ' '),
    };
  });
}

const zoneCache = new Map<string, PlaceOption[]>();

/** timeZoneOptions, built once a minute per language (every contact's picker shares it). */
export function currentTimeZoneOptions(locale: string, now = Date.now()): PlaceOption[] {
  const key = `${locale}|${Math.floor(now / 60_000)}`;
  let options = zoneCache.get(key);
  if (!options) {
    zoneCache.clear();
    options = timeZoneOptions(locale, new Date(now));
    zoneCache.set(key, options);
  }
  return options;
}
