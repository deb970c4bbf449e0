import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contacts who no longer take part in a partnership (deactivated through the partnership's
 * workflow, libs/domain/partner-changes.ts): the read model lists them as inactive.
 */
export class InactiveContacts1796500000003 implements MigrationInterface {
  name = 'InactiveContacts1796500000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "partnerships" ADD "inactive_contact_ids" jsonb NOT NULL DEFAULT '[]'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "partnerships" DROP COLUMN "inactive_contact_ids"`);
  }
}
