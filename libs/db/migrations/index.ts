import { Initial1795915600633 } from './1795915600633-Initial';
// Migrations in order. `npm run db:migration:generate -- Name` adds a file and a line here.
export const migrations = [Initial1795915600633];
