/**
 * A cap on password hashes computed at once. Each scrypt holds 128 MiB and a libuv thread for a
 * few hundred milliseconds, so a burst of logins (anyone may send them) could exhaust the
 * process's memory and starve every other request that needs a thread (files, DNS, crypto).
 * Past the cap a login is refused at once, before it is counted or hashed; the caller answers
 * 503 with Retry-After.
 */
export class HashingLimit {
  private running = 0;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
  }

  /** How many hashes run now. */
  get inFlight(): number {
    return this.running;
  }

  /**
   * Runs `work` when fewer than `max` run now, and frees its place when it settles; undefined
   * (and `work` not called) when the cap is reached.
   */
  tryRun<T>(work: () => Promise<T>): Promise<T> | undefined {
    if (this.running >= this.max) return undefined;
    this.running++;
    return Promise.resolve()
      .then(work)
      .finally(() => {
        this.running--;
      });
  }
}
