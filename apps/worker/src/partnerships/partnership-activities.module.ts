import { Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PartnershipActivities } from '../../../../workflows/partnership/partnership.activities.contract';
import { createPartnershipActivities } from './partnership.activities';

/** Builds the partnership activities from their dependencies in DI. */
@Injectable()
export class PartnershipActivitiesFactory {
  constructor(private readonly dataSource: DataSource) {}
  create(): PartnershipActivities {
    return createPartnershipActivities(this.dataSource);
  }
}

@Module({ providers: [PartnershipActivitiesFactory], exports: [PartnershipActivitiesFactory] })
export class PartnershipActivitiesModule {}
