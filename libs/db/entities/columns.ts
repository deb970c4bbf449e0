import { Column, ColumnOptions, JoinColumn, ManyToOne, ObjectType } from 'typeorm';

/** A column's options but its type, which the helper's name gives. */
export type TypedColumnOptions = Omit<ColumnOptions, 'type'>;

/**
 * `@Column` of one PostgreSQL type, so that an entity reads one line per column. Entities import
 * this module whole: `@column.Text({ name: 'event_type' }) eventType: string;`.
 */
const typed =
  (type: ColumnOptions['type']) =>
  (options: TypedColumnOptions = {}): PropertyDecorator =>
    Column({ ...options, type });

export const Text = typed('text');
export const Uuid = typed('uuid');
export const Timestamp = typed('timestamptz');
export const Json = typed('jsonb');
export const Integer = typed('integer');
export const Bool = typed('boolean');
export const BigInteger = typed('bigint');

/**
 * A many-to-one reference through `column`, under the foreign key `constraint`, whose rows go
 * with the row they reference (ON DELETE CASCADE); `inverse` names the other side's list, if any.
 */
export function BelongsTo<T>(
  entity: () => ObjectType<T>,
  column: string,
  constraint: string,
  inverse?: (other: T) => unknown,
): PropertyDecorator {
  return (target, property) => {
    const cascade = { onDelete: 'CASCADE' } as const;
    (inverse ? ManyToOne(entity, inverse, cascade) : ManyToOne(entity, cascade))(target, property);
    JoinColumn({ name: column, foreignKeyConstraintName: constraint })(target, property);
  };
}
