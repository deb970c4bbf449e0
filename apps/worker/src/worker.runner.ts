import { Injectable, Logger } from '@nestjs/common';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '@libs/config';
import { temporalConnectionSettings } from '@libs/temporal';
import { PARTNERSHIP_TASK_QUEUE } from '@workflows/partnership/partnership.contract';
import { PartnershipActivitiesFactory } from './partnerships/partnership-activities.module';
import { WebhookActivitiesFactory } from './webhooks/webhook-activities.module';

/** Where `npm run build` writes the prebuilt workflow bundle (dist/workflow-bundle.js). */
const DEFAULT_BUNDLE = join(__dirname, '..', '..', '..', 'workflow-bundle.js');

@Injectable()
export class WorkerRunner {
  private readonly logger = new Logger('Worker');
  private worker?: Worker;
  private connection?: NativeConnection;
  private stopRequested = false;

  constructor(
    private readonly config: AppConfig,
    private readonly partnershipActivities: PartnershipActivitiesFactory,
    private readonly webhookActivities: WebhookActivitiesFactory,
  ) {}

  /** Polls until shut down; resolves once in-flight tasks have drained. */
  async run(): Promise<void> {
    this.connection = await NativeConnection.connect(temporalConnectionSettings(this.config));
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.config.TEMPORAL_NAMESPACE,
      taskQueue: PARTNERSHIP_TASK_QUEUE,
      activities: { ...this.partnershipActivities.create(), ...this.webhookActivities.create() },
      ...this.workflowSource(),
      maxCachedWorkflows: this.config.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentActivityTaskExecutions: this.config.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTaskExecutions: this.config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      shutdownGraceTime: this.config.WORKER_SHUTDOWN_GRACE_MS,
    });
    if (this.stopRequested) {
      // A signal came while the worker was being created: it holds the connection until it has
      // run, so close() alone throws IllegalStateError. Run it and stop it at once.
      await this.worker.runUntil(Promise.resolve());
      await this.connection.close();
      return;
    }
    this.logger.log(
      `polling task queue "${PARTNERSHIP_TASK_QUEUE}" on ${this.config.TEMPORAL_ADDRESS} (namespace ${this.config.TEMPORAL_NAMESPACE})`,
    );
    try {
      await this.worker.run();
    } finally {
      await this.connection.close();
    }
  }

  /**
   * Asks the worker to stop taking tasks and drain. Guarded: a second signal, or a signal before
   * the worker runs, must not call shutdown() again (that throws IllegalStateError).
   */
  shutdown(): void {
    this.stopRequested = true;
    const state = this.worker?.getState();
    if (state === 'RUNNING') {
      this.logger.log('draining in-flight tasks');
      this.worker?.shutdown();
    }
  }

  /** A prebuilt bundle in production (and wherever one is configured), workflowsPath in dev. */
  private workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
    const configured = this.config.WORKER_WORKFLOW_BUNDLE_PATH;
    if (configured) return { workflowBundle: { codePath: configured } };
    if (this.config.NODE_ENV !== 'development' && existsSync(DEFAULT_BUNDLE)) {
      return { workflowBundle: { codePath: DEFAULT_BUNDLE } };
    }
    if (this.config.NODE_ENV === 'production') {
      throw new Error(`no workflow bundle at ${DEFAULT_BUNDLE}: run npm run build`);
    }
    return { workflowsPath: require.resolve('../../../workflows') };
  }
}
