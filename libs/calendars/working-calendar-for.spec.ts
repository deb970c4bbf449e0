import { DomainError, EMPTY_CALENDAR, isWorkingDate, WorkingCalendar } from '../domain';
import {
  chinaArrangementYears,
  holidayDataThrough,
  holidayStateCode,
  workingCalendarFor,
} from './working-calendar-for';

/** "date kind name" per day: easy to compare in tables and to read in a failure. */
const days = (calendar: WorkingCalendar, which: keyof WorkingCalendar = 'offDays') =>
  calendar[which].map((d) => `${d.date} ${d.kind} ${d.name}`);

const isoWeekday = (date: string) => {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
};
const MON_FRI = [1, 2, 3, 4, 5];
const works = (calendar: WorkingCalendar, date: string) =>
  isWorkingDate(date, isoWeekday(date), MON_FRI, calendar);

describe(workingCalendarFor.name, () => {
  describe('Spain', () => {
    it('has the national holidays of December 2026, and no adjusted working days', () => {
      const es = workingCalendarFor({ country: 'ES', region: null }, '2026-12-01', '2026-12-31');
      expect(days(es)).toEqual([
        '2026-12-06 public_holiday Día de la Constitución Española',
        '2026-12-08 public_holiday La inmaculada concepción',
        '2026-12-25 public_holiday Navidad',
      ]);
      expect(es.workingDays).toEqual([]);
    });

    it("keeps Madrid's own days: Monday 7 December 2026 replaces Sunday 6 there", () => {
      const md = workingCalendarFor({ country: 'ES', region: 'MD' }, '2026-12-01', '2026-12-31');
      expect(days(md)).toContain(
        '2026-12-07 regional_holiday Día de la Constitución Española (día sustituto)',
      );
      expect(works(md, '2026-12-07')).toBe(false);
    });

    it.each([
      ['2026-03-19', 'Thursday'],
      ['2027-03-19', 'Friday'],
    ])('19 March (San José, %s) is off in the Valencian Community, worked in Madrid', (date) => {
      const vc = workingCalendarFor({ country: 'ES', region: 'VC' }, date, date);
      const md = workingCalendarFor({ country: 'ES', region: 'MD' }, date, date);
      expect(days(vc)).toEqual([`${date} regional_holiday San José`]);
      expect(days(md)).toEqual([]);
      expect([works(vc, date), works(md, date)]).toEqual([false, true]);
    });

    it('takes only public holidays: Easter Sunday, Mother’s Day and Pentecost (observances) are not off', () => {
      const vc = workingCalendarFor({ country: 'ES', region: 'VC' }, '2026-04-01', '2026-05-31');
      expect(days(vc)).toEqual([
        '2026-04-03 public_holiday Viernes Santo',
        '2026-04-06 regional_holiday Lunes de Pascua',
        '2026-05-01 public_holiday Día del Trabajador',
      ]);
    });

    it('has the 2027 national days: Constitución on Monday 6, Inmaculada on Wednesday 8 December', () => {
      const es = workingCalendarFor({ country: 'ES', region: null }, '2027-12-01', '2027-12-10');
      expect(days(es)).toEqual([
        '2027-12-06 public_holiday Día de la Constitución Española',
        '2027-12-08 public_holiday La inmaculada concepción',
      ]);
    });
  });

  describe('China', () => {
    const cn = (from: string, to: string) =>
      workingCalendarFor({ country: 'CN', region: 'Sichuan, Chengdu' }, from, to);

    it('has Spring Festival 2026 (15–23 February) and its make-up Saturdays 14 and 28 February', () => {
      const feb = cn('2026-02-01', '2026-02-28');
      expect(feb.offDays.map((d) => d.date)).toEqual([
        '2026-02-15',
        '2026-02-16',
        '2026-02-17',
        '2026-02-18',
        '2026-02-19',
        '2026-02-20',
        '2026-02-21',
        '2026-02-22',
        '2026-02-23',
      ]);
      expect(new Set(feb.offDays.map((d) => `${d.kind} ${d.name}`))).toEqual(
        new Set(['public_holiday 春节']),
      );
      expect(days(feb, 'workingDays')).toEqual([
        '2026-02-14 adjusted_working_day 春节补班',
        '2026-02-28 adjusted_working_day 春节补班',
      ]);
      expect([
        works(feb, '2026-02-14'),
        works(feb, '2026-02-16'),
        works(feb, '2026-02-24'),
      ]).toEqual([true, false, true]);
    });

    it('has National Day 2026 (1–7 October) and its make-up Sunday 20 September and Saturday 10 October', () => {
      const autumn = cn('2026-09-15', '2026-10-15');
      expect(days(autumn)).toEqual([
        '2026-09-25 public_holiday 中秋',
        '2026-09-26 public_holiday 中秋',
        '2026-09-27 public_holiday 中秋',
        ...['01', '02', '03', '04', '05', '06', '07'].map(
          (d) => `2026-10-${d} public_holiday 国庆节`,
        ),
      ]);
      expect(days(autumn, 'workingDays')).toEqual([
        '2026-09-20 adjusted_working_day 国庆节补班',
        '2026-10-10 adjusted_working_day 国庆节补班',
      ]);
    });

    it('ignores the region: China’s arrangement is national', () => {
      expect(
        workingCalendarFor({ country: 'CN', region: null }, '2026-01-01', '2026-12-31'),
      ).toEqual(cn('2026-01-01', '2026-12-31'));
    });

    // When a bump of chinese-days brings 2027 (announced in the autumn), this fails: replace it
    // with 2027's Spring Festival and National Day rows here and in libs/domain's table.
    it('has 2004 to 2026, and not yet 2027', () => {
      expect(chinaArrangementYears()[0]).toBe(2004);
      expect(chinaArrangementYears().at(-1)).toBe(2026);
      expect(cn('2027-01-01', '2027-12-31')).toEqual(EMPTY_CALENDAR);
    });

    it("says where official data ends: China's last published year; rule-based countries never", () => {
      expect(holidayDataThrough('CN')).toBe(`${chinaArrangementYears().at(-1)}-12-31`);
      expect(holidayDataThrough(' cn ')).toBe(holidayDataThrough('CN'));
      expect(holidayDataThrough('ES')).toBeNull();
      expect(holidayDataThrough('XX')).toBeNull();
    });
  });

  describe('closures', () => {
    it("adds the organisation's own closures, one entry per date, sorted", () => {
      const vc = workingCalendarFor(
        {
          country: 'ES',
          region: 'Valencian Community',
          closures: [
            { date: '2026-12-31', name: 'Cierre de fin de año' },
            { date: '2026-12-24', name: ' Nochebuena ' },
            { date: '2026-12-25', name: 'Cierre de Navidad' },
            { date: '2027-01-04', name: 'Outside the span' },
          ],
        },
        '2026-12-20',
        '2026-12-31',
      );
      expect(days(vc)).toEqual([
        '2026-12-24 closure Nochebuena',
        '2026-12-25 public_holiday Navidad',
        '2026-12-31 closure Cierre de fin de año',
      ]);
    });

    it('win over an adjusted working day: the office is closed', () => {
      const cn = workingCalendarFor(
        { country: 'CN', region: null, closures: [{ date: '2026-02-28', name: '研究所闭馆' }] },
        '2026-02-01',
        '2026-02-28',
      );
      expect(days(cn, 'workingDays')).toEqual(['2026-02-14 adjusted_working_day 春节补班']);
      expect(works(cn, '2026-02-28')).toBe(false);
    });

    it.each([
      [[{ date: '2026-02-30', name: 'x' }], 'closures[0].date'],
      [[{ date: '2026-03-01', name: ' ' }], 'closures[0].name'],
    ])('rejects a bad closure %j', (closures, field) => {
      expect(() =>
        workingCalendarFor({ country: 'ES', region: null, closures }, '2026-01-01', '2026-12-31'),
      ).toThrow(
        expect.objectContaining({ details: { errors: [expect.objectContaining({ field })] } }),
      );
    });
  });

  it('gives an unknown country an empty, valid calendar, with its closures', () => {
    expect(
      workingCalendarFor({ country: 'XX', region: 'Anywhere' }, '2026-01-01', '2026-12-31'),
    ).toEqual(EMPTY_CALENDAR);
    expect(
      workingCalendarFor(
        { country: 'XX', region: null, closures: [{ date: '2026-08-14', name: 'Summer' }] },
        '2026-01-01',
        '2026-12-31',
      ),
    ).toEqual({
      offDays: [{ date: '2026-08-14', name: 'Summer', kind: 'closure' }],
      workingDays: [],
    });
  });

  it('gives an unknown region the national holidays', () => {
    expect(
      workingCalendarFor({ country: 'ES', region: 'Atlantis' }, '2026-01-01', '2026-12-31'),
    ).toEqual(workingCalendarFor({ country: 'ES', region: null }, '2026-01-01', '2026-12-31'));
  });

  it.each([
    ['2026-13-01', '2026-12-31'],
    ['2026-12-31', '2026-01-01'],
    ['2026-01-01', '2030-01-01'],
  ])('rejects the span %s … %s', (from, to) => {
    expect(() => workingCalendarFor({ country: 'ES', region: null }, from, to)).toThrow(
      DomainError,
    );
  });
});

describe(holidayStateCode.name, () => {
  it.each<[string, string | null, string | undefined]>([
    ['ES', 'VC', 'VC'],
    ['ES', 'es-vc', 'VC'],
    ['ES', 'Valencian Community', 'VC'],
    ['ES', 'Comunitat Valenciana', 'VC'],
    ['ES', 'Comunidad de Madrid', 'MD'],
    ['ES', 'Madrid', 'MD'],
    ['ES', 'Cataluña', 'CT'],
    ['ES', 'Catalunya', 'CT'],
    ['ES', 'Catalonia', 'CT'],
    ['ES', 'Comunidad Valenciana', 'VC'],
    ['ES', 'País Valencià', 'VC'],
    ['ES', 'Atlantis', undefined],
    ['ES', null, undefined],
    ['ES', '  ', undefined],
    ['CN', 'Sichuan', undefined],
    ['XX', 'VC', undefined],
  ])('%s %j → %j', (country, region, expected) => {
    expect(holidayStateCode(country, region)).toBe(expected);
  });
});
