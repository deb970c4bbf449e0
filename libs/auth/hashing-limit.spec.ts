import { HashingLimit } from './hashing-limit';

/** A promise and the functions that settle it, to hold work open for as long as a test wants. */
function held<T>(): { promise: Promise<T>; release: (value: T) => void; fail: (e: Error) => void } {
  let release!: (value: T) => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  return { promise, release, fail };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(HashingLimit.name, () => {
  it('runs up to max at once, refuses the next without calling it, and frees a place when one settles', async () => {
    const limit = new HashingLimit(2);
    const a = held<string>();
    const b = held<string>();
    const ra = limit.tryRun(() => a.promise);
    const rb = limit.tryRun(() => b.promise);
    expect(ra).toBeDefined();
    expect(rb).toBeDefined();
    expect(limit.inFlight).toBe(2);
    const third = jest.fn(() => Promise.resolve('c'));
    expect(limit.tryRun(third)).toBeUndefined();
    expect(third).not.toHaveBeenCalled();

    a.release('a');
    await expect(ra).resolves.toBe('a');
    expect(limit.inFlight).toBe(1);
    await expect(limit.tryRun(third)).resolves.toBe('c');
    expect(third).toHaveBeenCalledTimes(1);

    // A failure frees its place too.
    b.fail(new Error('scrypt failed'));
    await expect(rb).rejects.toThrow('scrypt failed');
    expect(limit.inFlight).toBe(0);
  });

  it('lets up to maxWaiting wait their turn, in order, never running more than max at once', async () => {
    const limit = new HashingLimit(1, 2);
    const first = held<string>();
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const job = (name: string, gate?: Promise<string>) => async (): Promise<string> => {
      running++;
      most = Math.max(most, running);
      order.push(name);
      try {
        return await (gate ?? Promise.resolve(name));
      } finally {
        running--;
      }
    };
    const r1 = limit.tryRun(job('first', first.promise));
    const r2 = limit.tryRun(job('second'));
    const r3 = limit.tryRun(job('third'));
    expect([limit.inFlight, limit.queued]).toEqual([1, 2]);
    const fourth = jest.fn(() => Promise.resolve('fourth'));
    expect(limit.tryRun(fourth)).toBeUndefined();
    await flush();
    expect(order).toEqual(['first']);

    first.release('first');
    await expect(Promise.all([r1, r2, r3])).resolves.toEqual(['first', 'second', 'third']);
    expect(order).toEqual(['first', 'second', 'third']);
    expect(most).toBe(1);
    expect(fourth).not.toHaveBeenCalled();
    expect([limit.inFlight, limit.queued]).toEqual([0, 0]);
  });

  it('frees the place of work that throws before returning a promise', async () => {
    const limit = new HashingLimit(1);
    await expect(
      limit.tryRun(() => {
        throw new Error('at once');
      }),
    ).rejects.toThrow('at once');
    expect(limit.inFlight).toBe(0);
  });

  it('wants a positive whole cap and a whole queue', () => {
    expect(() => new HashingLimit(0)).toThrow(RangeError);
    expect(() => new HashingLimit(1.5)).toThrow(RangeError);
    expect(() => new HashingLimit(1, -1)).toThrow(RangeError);
  });
});
