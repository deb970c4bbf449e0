import { isValidTimeZone, workingHoursProblems } from './working-hours';

describe(workingHoursProblems.name, () => {
  it('accepts the default week', () => {
    expect(workingHoursProblems({ start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] })).toEqual(
      [],
    );
  });
  it.each([
    [{ start: '9:00', end: '18:00', days: [1] }, 'start must be HH:MM (24h)'],
    [{ start: '18:00', end: '09:00', days: [1] }, 'start must be before end'],
    [
      { start: '09:00', end: '18:00', days: [] },
      'days must list at least one ISO weekday (1 = Monday … 7 = Sunday)',
    ],
    [{ start: '09:00', end: '18:00', days: [0, 8] }, 'days must be ISO weekdays 1..7'],
    [{ start: '09:00', end: '18:00', days: [1, 1] }, 'days must not repeat'],
  ])('refuses %j', (value, problem) => {
    expect(workingHoursProblems(value)).toContain(problem);
  });
});

describe(isValidTimeZone.name, () => {
  it.each(['Europe/Madrid', 'Asia/Shanghai', 'UTC', 'America/Argentina/Buenos_Aires'])(
    'knows %s',
    (z) => {
      expect(isValidTimeZone(z)).toBe(true);
    },
  );
  it.each(['Mars/Olympus', 'CET+1', '', 'Europe/Madrid; DROP TABLE'])('refuses %j', (z) => {
    expect(isValidTimeZone(z)).toBe(false);
  });
});
