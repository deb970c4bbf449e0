import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795915600633 implements MigrationInterface {
  name = 'Initial1795915600633';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "organisations" ("id" uuid NOT NULL, "name" text NOT NULL, "region" text, "country" character(2) NOT NULL, "kind" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7bf54cba378d5b2f1d4c10ef4df" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_organisations_name" ON "organisations" ("name") `);
    await queryRunner.query(
      `CREATE TABLE "contacts" ("id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "name" text NOT NULL, "email" text NOT NULL, "role" text, "language" text NOT NULL, "time_zone" text NOT NULL, "working_hours" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b99cd40cfd66a99f1571f4f72e6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_contacts_organisation_email" ON "contacts" ("organisation_id", "email") `,
    );
    await queryRunner.query(
      `CREATE TABLE "partnerships" ("id" uuid NOT NULL, "title" text NOT NULL, "stage" text NOT NULL, "status" text NOT NULL, "coordinator_name" text NOT NULL, "coordinator_email" text NOT NULL, "areas" jsonb NOT NULL, "workflow_id" text NOT NULL, "last_sequence" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_55de3c169ff0d5d88e9a7cb0cd6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_partnerships_stage_status" ON "partnerships" ("stage", "status") `,
    );
    await queryRunner.query(
      `CREATE TABLE "partnership_events" ("id" BIGSERIAL NOT NULL, "partnership_id" uuid NOT NULL, "sequence" integer NOT NULL, "type" text NOT NULL, "actor" jsonb NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "payload" jsonb NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2e04875b139a21614877d4136e3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_partnership_events_sequence" ON "partnership_events" ("partnership_id", "sequence") `,
    );
    await queryRunner.query(
      `CREATE TABLE "partnership_organisations" ("partnership_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, CONSTRAINT "PK_8666e150eee9859140192f34936" PRIMARY KEY ("partnership_id", "organisation_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_161c41ef0ffca791fa8032aec0" ON "partnership_organisations" ("partnership_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ff5203f78839be3a1b1a56b4e5" ON "partnership_organisations" ("organisation_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "contacts" ADD CONSTRAINT "FK_contacts_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "partnership_events" ADD CONSTRAINT "FK_partnership_events_partnership" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "partnership_organisations" ADD CONSTRAINT "FK_partnership_organisations_partnership" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "partnership_organisations" ADD CONSTRAINT "FK_partnership_organisations_organisation" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE CASCADE ON UPDATE CASCADE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "partnership_organisations" DROP CONSTRAINT "FK_partnership_organisations_organisation"`,
    );
    await queryRunner.query(
      `ALTER TABLE "partnership_organisations" DROP CONSTRAINT "FK_partnership_organisations_partnership"`,
    );
    await queryRunner.query(
      `ALTER TABLE "partnership_events" DROP CONSTRAINT "FK_partnership_events_partnership"`,
    );
    await queryRunner.query(`ALTER TABLE "contacts" DROP CONSTRAINT "FK_contacts_organisation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ff5203f78839be3a1b1a56b4e5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_161c41ef0ffca791fa8032aec0"`);
    await queryRunner.query(`DROP TABLE "partnership_organisations"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_partnership_events_sequence"`);
    await queryRunner.query(`DROP TABLE "partnership_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_partnerships_stage_status"`);
    await queryRunner.query(`DROP TABLE "partnerships"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_contacts_organisation_email"`);
    await queryRunner.query(`DROP TABLE "contacts"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_organisations_name"`);
    await queryRunner.query(`DROP TABLE "organisations"`);
  }
}
