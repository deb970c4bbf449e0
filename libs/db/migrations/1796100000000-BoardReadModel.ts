import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The board's and my-work's reads. `entente_overdue_from(due, zone)` is the instant a task due on
 * `due` becomes overdue for someone in `zone`: the start of the next day there, as
 * `overdueFrom()` in libs/domain computes it. A zone PostgreSQL does not know (its tz database
 * may lag Node's) counts as UTC instead of failing the whole read.
 */
export class BoardReadModel1796100000000 implements MigrationInterface {
  name = 'BoardReadModel1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION "entente_overdue_from"(due date, zone text) RETURNS timestamptz
         LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
       BEGIN
         RETURN (due + 1)::timestamp AT TIME ZONE zone;
       EXCEPTION WHEN invalid_parameter_value THEN
         RETURN (due + 1)::timestamp AT TIME ZONE 'UTC';
       END $$`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "entente_overdue_from"(date, text)`);
  }
}
