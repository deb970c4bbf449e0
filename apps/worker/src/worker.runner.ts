import { Injectable, Logger } from '@nestjs/common';
import { bundleWorkflowCode, NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '@libs/config';
import { TemporalClient, temporalConnectionSettings } from '@libs/temporal';
import { PARTNERSHIP_TASK_QUEUE } from '@workflows/partnership/partnership.contract';
import { WEBHOOK_DELIVERY_TASK_QUEUE } from '@workflows/webhooks/webhook-delivery.contract';
import { ensureCalendarRefreshSchedule } from './calendar-refresh-schedule';
import { ensureWeeklyDigestSchedule } from './weekly-digest-schedule';
import { PartnershipActivitiesFactory } from './partnerships/partnership-activities.module';
import { WebhookActivitiesFactory } from './webhooks/webhook-activities.module';

/** Where `npm run build` writes the prebuilt workflow bundle (dist/workflow-bundle.js). */
const DEFAULT_BUNDLE = join(__dirname, '..', '..', '..', 'workflow-bundle.js');

@Injectable()
export class WorkerRunner {
  private readonly logger = new Logger('Worker');
  private workers: Worker[] = [];
  private connection?: NativeConnection;
  private stopRequested = false;

  constructor(
    private readonly config: AppConfig,
    private readonly partnershipActivities: PartnershipActivitiesFactory,
    private readonly webhookActivities: WebhookActivitiesFactory,
    private readonly temporal: TemporalClient,
  ) {}

  /**
   * Polls until shut down; resolves once in-flight tasks have drained. Two Workers share one
   * connection and one workflow bundle: the partnerships' (recording, e-mail) and the webhook
   * deliveries', each with its own slots, so that slow receivers cannot hold the partnerships'.
   */
  async run(): Promise<void> {
    this.connection = await NativeConnection.connect(temporalConnectionSettings(this.config));
    const source = await this.workflowSource();
    const common = {
      connection: this.connection,
      namespace: this.config.TEMPORAL_NAMESPACE,
      ...source,
      maxCachedWorkflows: this.config.WORKER_MAX_CACHED_WORKFLOWS,
      shutdownGraceTime: this.config.WORKER_SHUTDOWN_GRACE_MS,
    };
    const webhookActivities = this.webhookActivities.create();
    this.workers = [
      await Worker.create({
        ...common,
        taskQueue: PARTNERSHIP_TASK_QUEUE,
        // The delivery activities too: deliveries started before their own queue existed run
        // their workflow, and so their activities, on this queue.
        activities: { ...this.partnershipActivities.create(), ...webhookActivities },
        maxConcurrentActivityTaskExecutions: this.config.WORKER_MAX_CONCURRENT_ACTIVITIES,
        maxConcurrentWorkflowTaskExecutions: this.config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      }),
      await Worker.create({
        ...common,
        taskQueue: WEBHOOK_DELIVERY_TASK_QUEUE,
        activities: webhookActivities,
        maxConcurrentActivityTaskExecutions: this.config.WEBHOOK_WORKER_MAX_CONCURRENT_ACTIVITIES,
        maxConcurrentWorkflowTaskExecutions:
          this.config.WEBHOOK_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      }),
    ];
    if (this.stopRequested) {
      // A signal came while the workers were being created: they hold the connection until they
      // have run, so close() alone throws IllegalStateError. Run them and stop them at once.
      await Promise.all(this.workers.map((w) => w.runUntil(Promise.resolve())));
      await this.connection.close();
      return;
    }
    this.logger.log(
      `polling task queues "${PARTNERSHIP_TASK_QUEUE}" and "${WEBHOOK_DELIVERY_TASK_QUEUE}" on ${this.config.TEMPORAL_ADDRESS} (namespace ${this.config.TEMPORAL_NAMESPACE})`,
    );
    const running = this.workers.map((w) =>
      w.run().catch((err: unknown) => {
        // One Worker failing takes the process down, the other drained first.
        this.shutdown();
        throw err;
      }),
    );
    void this.redispatchPendingDeliveries();
    void this.scheduleCalendarRefresh();
    void this.scheduleWeeklyDigest();
    try {
      await Promise.all(running);
    } finally {
      await Promise.allSettled(running);
      await this.connection.close();
    }
  }

  /**
   * Deliveries left pending with no workflow to send them (one terminated by an operator, a
   * dispatch that never happened) are started again once per start-up; a running one is left
   * alone. Best effort: a failure is logged, the next start-up tries again.
   */
  private async redispatchPendingDeliveries(): Promise<void> {
    try {
      const count = await this.webhookActivities.outbox.redispatchPending();
      if (count > 0) this.logger.log(`re-dispatched ${count} pending webhook deliveries`);
    } catch (err) {
      this.logger.warn(
        `pending webhook deliveries not re-dispatched: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /**
   * The daily calendar refresh's Schedule as configured (`CALENDAR_REFRESH_AT`). Best effort: a
   * failure is logged, the next start-up tries again, and the Schedule already in Temporal (if
   * any) goes on running.
   */
  private async scheduleCalendarRefresh(): Promise<void> {
    const at = this.config.CALENDAR_REFRESH_AT;
    try {
      const change = await ensureCalendarRefreshSchedule(this.temporal, at);
      this.logger.log(
        `calendar refresh schedule ${change} (${at === 'off' ? 'off' : `${at} UTC`})`,
      );
    } catch (err) {
      this.logger.warn(
        `calendar refresh schedule not set: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /**
   * The weekly digest's Schedule as configured (`DIGEST_AT`). Best effort, as the calendar
   * refresh's: a failure is logged, the next start-up tries again.
   */
  private async scheduleWeeklyDigest(): Promise<void> {
    const at = this.config.DIGEST_AT;
    try {
      const change = await ensureWeeklyDigestSchedule(this.temporal, at);
      this.logger.log(
        `weekly digest schedule ${change} (${at === 'off' ? 'off' : `${at} in each coordinator's zone`})`,
      );
    } catch (err) {
      this.logger.warn(
        `weekly digest schedule not set: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /**
   * Asks the workers to stop taking tasks and drain. Guarded: a second signal, or a signal before
   * the workers run, must not call shutdown() again (that throws IllegalStateError).
   */
  shutdown(): void {
    this.stopRequested = true;
    const running = this.workers.filter((w) => w.getState() === 'RUNNING');
    if (running.length > 0) this.logger.log('draining in-flight tasks');
    for (const worker of running) worker.shutdown();
  }

  /**
   * A prebuilt bundle in production (and wherever one is configured); in development the workers
   * bundle `workflows/` once, and share it.
   */
  private async workflowSource(): Promise<Pick<WorkerOptions, 'workflowBundle'>> {
    const configured = this.config.WORKER_WORKFLOW_BUNDLE_PATH;
    if (configured) return { workflowBundle: { codePath: configured } };
    if (this.config.NODE_ENV !== 'development' && existsSync(DEFAULT_BUNDLE)) {
      return { workflowBundle: { codePath: DEFAULT_BUNDLE } };
    }
    if (this.config.NODE_ENV === 'production') {
      throw new Error(`no workflow bundle at ${DEFAULT_BUNDLE}: run npm run build`);
    }
    return {
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('../../../workflows'),
      }),
    };
  }
}
