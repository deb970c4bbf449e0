import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { AppConfig } from '../config';
import { temporalConnectionSettings } from './connection-options';

/** The process's one Temporal client; inject `TemporalClient`. */
export abstract class TemporalClient extends Client {}

@Injectable()
class TemporalConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(TemporalClient) private readonly client: Client) {}
  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: TemporalClient,
      inject: [AppConfig],
      // Connection.lazy: the API can start (and report Temporal as down on /health) while the
      // cluster is unreachable; the first call connects.
      useFactory: (config: AppConfig): Client => {
        const connection = Connection.lazy(temporalConnectionSettings(config));
        return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
      },
    },
    TemporalConnectionCloser,
  ],
  exports: [TemporalClient],
})
export class TemporalModule {}
