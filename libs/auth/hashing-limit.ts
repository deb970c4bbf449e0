/**
 * A cap on password hashes computed at once. Each scrypt holds 128 MiB and a libuv thread for a
 * few hundred milliseconds, so a burst of logins (anyone may send them) could exhaust the
 * process's memory and starve every other request that needs a thread (files, DNS, crypto).
 * Up to `max` run at once and up to `maxWaiting` more wait their turn, so that an ordinary burst
 * of sign-ins is only slowed; past both a login is refused at once, before it is counted or
 * hashed, and the caller answers 503 with Retry-After.
 */
export class HashingLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly max: number,
    readonly maxWaiting = 0,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0) {
      throw new RangeError('maxWaiting must be a whole number');
    }
  }

  /** How many hashes run now. */
  get inFlight(): number {
    return this.running;
  }

  /** How many wait for a place. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs `work` when a place is free, or once one frees up if fewer than `maxWaiting` wait;
   * undefined (and `work` never called) when both are full.
   */
  tryRun<T>(work: () => Promise<T>): Promise<T> | undefined {
    if (this.running < this.max) {
      this.running++;
      return this.run(work);
    }
    if (this.waiting.length >= this.maxWaiting) return undefined;
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(() => this.run(work));
  }

  private run<T>(work: () => Promise<T>): Promise<T> {
    return Promise.resolve()
      .then(work)
      .finally(() => {
        // The place passes straight to the next in line, so no newcomer can slip in between.
        const next = this.waiting.shift();
        if (next) next();
        else this.running--;
      });
  }
}
