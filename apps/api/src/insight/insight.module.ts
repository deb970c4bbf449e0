import { Module } from '@nestjs/common';
import { PartnershipsModule } from '../partnerships/partnerships.module';
import { InsightController } from './insight.controller';
import { InsightService } from './insight.service';

@Module({
  imports: [PartnershipsModule],
  controllers: [InsightController],
  providers: [InsightService],
})
export class InsightModule {}
