import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `entente_overdue_from` catches an unknown zone with an EXCEPTION block, a subtransaction, which
 * PostgreSQL refuses inside a parallel plan ("cannot start subtransactions during a parallel
 * operation"). It was declared PARALLEL SAFE: a read over many tasks (insight over every
 * partnership; a board or my-work query the planner parallelises) failed. PARALLEL UNSAFE keeps
 * every statement that calls it serial.
 */
export class OverdueFromParallelUnsafe1796500000000 implements MigrationInterface {
  name = 'OverdueFromParallelUnsafe1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION "entente_overdue_from"(date, text) PARALLEL UNSAFE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION "entente_overdue_from"(date, text) PARALLEL SAFE`);
  }
}
