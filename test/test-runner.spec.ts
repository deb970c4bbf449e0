import { estimateSeconds, split, timesIn } from '../scripts/test';

/** The pure parts of npm test's runner (scripts/test.ts): how it splits the files. */
describe('npm test runner', () => {
  it('splits by weight, heaviest first, each to the lightest list so far', () => {
    const weights: Record<string, number> = { a: 300, b: 100, c: 90, d: 60, e: 50, f: 1 };
    const lists = split(Object.keys(weights), (k) => weights[k], 2);
    expect(lists).toEqual([
      ['a', 'f'],
      ['b', 'c', 'd', 'e'],
    ]);
    const totals = lists.map((l) => l.reduce((s, k) => s + weights[k], 0));
    expect(totals).toEqual([301, 300]);
    // Every file once, none lost, whatever the count of lists.
    expect(
      split(Object.keys(weights), (k) => weights[k], 4)
        .flat()
        .sort(),
    ).toEqual(Object.keys(weights).sort());
  });

  it('guesses more for a file that starts processes than for a unit file of the same size', () => {
    expect(estimateSeconds('test/e2e/x.e2e.spec.ts', 10_000)).toBeGreaterThan(
      estimateSeconds('libs/domain/x.spec.ts', 10_000),
    );
    expect(estimateSeconds('test/browser/x.browser.spec.ts', 0)).toBeGreaterThan(
      estimateSeconds('test/e2e/x.e2e.spec.ts', 0),
    );
  });

  it("reads the files' times from jest's output", () => {
    const output = [
      'PASS test/e2e/auth.e2e.spec.ts (86.2 s)',
      '  ✓ logs in (300 ms)',
      'FAIL test/fuzz/api.fuzz.e2e.spec.ts (297 s)',
      'PASS libs/domain/gates.spec.ts',
    ].join('\n');
    expect(timesIn(output)).toEqual({
      'test/e2e/auth.e2e.spec.ts': 86.2,
      'test/fuzz/api.fuzz.e2e.spec.ts': 297,
    });
  });
});
