import { dueDateAfter, dueDatesOnEntry, dueOffsetsOf } from './due-dates';
import { tasksFromTemplate, type TemplateTask } from './lifecycle';
import type { WorkingCalendar } from './working-calendar';

const MADRID: WorkingCalendar = {
  offDays: [
    { date: '2026-12-08', name: 'Inmaculada Concepción', kind: 'public_holiday' },
    { date: '2026-12-25', name: 'Navidad', kind: 'public_holiday' },
  ],
  workingDays: [],
};

describe(dueDateAfter.name, () => {
  it('counts working days after the local date, weekends and holidays left out', () => {
    // Wednesday 2 December 2026.
    expect(dueDateAfter('2026-12-02T10:00:00Z', 1, 'UTC')).toBe('2026-12-03');
    expect(dueDateAfter('2026-12-02T10:00:00Z', 3, 'UTC')).toBe('2026-12-07');
    expect(dueDateAfter('2026-12-02T10:00:00Z', 10, 'UTC')).toBe('2026-12-16');
    expect(dueDateAfter('2026-12-02T10:00:00Z', 10, 'Europe/Madrid', MADRID)).toBe('2026-12-17');
    expect(dueDateAfter('2026-12-02T10:00:00Z', 0, 'UTC')).toBe('2026-12-02');
  });

  it('starts from the date in the coordinator’s zone, not in UTC', () => {
    // Friday 23:30 UTC is already Saturday in Shanghai: one working day later is Monday.
    expect(dueDateAfter('2026-12-04T23:30:00Z', 1, 'Asia/Shanghai')).toBe('2026-12-07');
    expect(dueDateAfter('2026-12-04T23:30:00Z', 1, 'UTC')).toBe('2026-12-07');
    expect(dueDateAfter('2026-12-03T23:30:00Z', 1, 'America/Mexico_City')).toBe('2026-12-04');
    expect(dueDateAfter('2026-12-03T23:30:00Z', 1, 'Asia/Shanghai')).toBe('2026-12-07');
  });

  it('counts an adjusted working day (调休) although it falls on a weekend', () => {
    const china: WorkingCalendar = {
      offDays: [],
      workingDays: [{ date: '2026-12-05', name: '补班', kind: 'adjusted_working_day' }],
    };
    expect(dueDateAfter('2026-12-04T02:00:00Z', 1, 'Asia/Shanghai', china)).toBe('2026-12-05');
  });
});

describe(dueDatesOnEntry.name, () => {
  const template: TemplateTask[] = [
    { key: 'a', stage: 'introduction', title: 'A', required: true, kind: 'task', dueOffsetDays: 5 },
    { key: 'b', stage: 'introduction', title: 'B', required: true, kind: 'task' },
    {
      key: 'c',
      stage: 'introduction',
      title: 'C',
      required: false,
      kind: 'task',
      dueOffsetDays: 1,
    },
    {
      key: 'd',
      stage: 'area_exploration',
      title: 'D',
      required: true,
      kind: 'task',
      dueOffsetDays: 2,
    },
  ];

  it('dates the open template tasks of the stage entered that have an offset and no date', () => {
    const tasks = tasksFromTemplate(template).map((t) =>
      t.id === 'introduction.c' ? { ...t, dueDate: '2027-01-15' } : t,
    );
    const offsets = dueOffsetsOf(template);
    expect(offsets).toEqual({ 'introduction.a': 5, 'introduction.c': 1, 'area_exploration.d': 2 });
    expect(dueDatesOnEntry(tasks, offsets, 'introduction', '2026-12-02T10:00:00Z', 'UTC')).toEqual([
      { taskId: 'introduction.a', dueDate: '2026-12-09' },
    ]);
    expect(
      dueDatesOnEntry(tasks, offsets, 'area_exploration', '2026-12-02T10:00:00Z', 'UTC'),
    ).toEqual([{ taskId: 'area_exploration.d', dueDate: '2026-12-04' }]);
    const done = tasks.map((t) => ({ ...t, status: 'done' as const }));
    expect(dueDatesOnEntry(done, offsets, 'introduction', '2026-12-02T10:00:00Z', 'UTC')).toEqual(
      [],
    );
  });
});
