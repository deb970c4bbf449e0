import { MigrationInterface, QueryRunner } from 'typeorm';

/** A partnership's events (meetings, seminars, training): the event workflows' read model. */
export class CalendarEvents1796300000001 implements MigrationInterface {
  name = 'CalendarEvents1796300000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "calendar_events" ("id" uuid NOT NULL, "partnership_id" uuid NOT NULL, "kind" text NOT NULL, "title" text NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "online_url" text, "place" text, "task_id" text, "status" text NOT NULL, "sequence" integer NOT NULL, "revision" integer NOT NULL, "organiser" jsonb NOT NULL, "attendees" jsonb NOT NULL, "follow_up_task_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_faf5391d232322a87cdd1c6f30c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_calendar_events_partnership_start" ON "calendar_events" ("partnership_id", "starts_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "calendar_events" ADD CONSTRAINT "FK_calendar_events_partnership" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "calendar_events" DROP CONSTRAINT "FK_calendar_events_partnership"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_calendar_events_partnership_start"`);
    await queryRunner.query(`DROP TABLE "calendar_events"`);
  }
}
