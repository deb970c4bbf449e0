import { calendarSnapshot, calendarSnapshots, SNAPSHOT_DAYS } from './snapshot';

describe(calendarSnapshot.name, () => {
  it('covers the day before today to SNAPSHOT_DAYS after it', () => {
    const today = new Date('2026-12-01T17:00:00Z');
    const es = calendarSnapshot({ country: 'ES', region: 'Valencian Community' }, today);
    const dates = es.offDays.map((d) => d.date);
    // Valencian holidays of the coming year are in, from 8 December 2026 to 19 March 2027.
    expect(dates).toEqual(expect.arrayContaining(['2026-12-08', '2027-03-19']));
    expect(dates.every((d) => d >= '2026-11-30' && d <= '2028-01-04')).toBe(true);
    // 400 days from 30 November 2026: 4 January 2028, so 1 January 2028 is in, nothing later.
    expect(SNAPSHOT_DAYS).toBe(400);
    expect(dates).toContain('2028-01-01');
  });

  it('gives each organisation its own, by id', () => {
    const today = new Date('2026-12-01T00:00:00Z');
    const snapshots = calendarSnapshots(
      [
        { id: 'es', country: 'ES', region: 'VC' },
        { id: 'cn', country: 'CN', region: 'Sichuan' },
      ],
      today,
    );
    expect(Object.keys(snapshots)).toEqual(['es', 'cn']);
    expect(snapshots.es.offDays.map((d) => d.date)).toContain('2026-12-08');
    expect(snapshots.cn.offDays.map((d) => d.date)).not.toContain('2026-12-08');
  });
});
