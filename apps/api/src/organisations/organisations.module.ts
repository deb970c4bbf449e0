import { Module } from '@nestjs/common';
import { ClosuresService } from './closures.service';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsService } from './organisations.service';

@Module({
  controllers: [OrganisationsController],
  providers: [OrganisationsService, ClosuresService],
  exports: [OrganisationsService],
})
export class OrganisationsModule {}
