import { Global, Module } from '@nestjs/common';
import { ConfigValues } from './config.schema';
import { loadConfig } from './config';

/** DI token for the validated configuration: inject `AppConfig` and read typed fields. */
// Class + interface merge: a class is a DI token, the interface gives it the config's fields.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class AppConfig {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface AppConfig extends ConfigValues {}

@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: (): ConfigValues => loadConfig() }],
  exports: [AppConfig],
})
export class ConfigModule {}
