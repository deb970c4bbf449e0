export { createDataSource, dataSourceOptions, entities } from './data-source';
export { OrganisationEntity } from './entities/organisation.entity';
export { ContactEntity } from './entities/contact.entity';
export { PartnershipEntity } from './entities/partnership.entity';
export { PartnershipEventEntity } from './entities/partnership-event.entity';
export { runMigrationsLocked } from './migrate';
export { DbModule } from './db.module';
export { PartnershipTaskEntity } from './entities/partnership-task.entity';
export { StageTemplateTaskEntity } from './entities/stage-template-task.entity';
