import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AddTaskDto, UpdateTaskDto } from './lifecycle.dto';

describe('a task’s dueDate', () => {
  const errors = (type: typeof AddTaskDto | typeof UpdateTaskDto, dueDate: string): string[] =>
    validateSync(plainToInstance(type, { title: 'Share the report', dueDate })).map(
      (e) => e.property,
    );

  it('refuses the year 0000, which PostgreSQL cannot store (the fuzzer’s 0000-01-01 stalled the workflow)', () => {
    expect(errors(AddTaskDto, '0000-01-01')).toEqual(['dueDate']);
    expect(errors(UpdateTaskDto, '0000-12-31')).toEqual(['dueDate']);
  });

  it('accepts a date from the year 0001 on', () => {
    expect(errors(AddTaskDto, '0001-01-01')).toEqual([]);
    expect(errors(UpdateTaskDto, '2027-01-15')).toEqual([]);
  });
});
