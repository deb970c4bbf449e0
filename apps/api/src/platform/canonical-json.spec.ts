import { canonicalJson } from './canonical-json';

describe(canonicalJson.name, () => {
  it('ignores key order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: 'x' } })).toBe(
      canonicalJson({ a: { c: 'x', d: [2, { x: 2, y: 1 }] }, b: 1 }),
    );
  });
  it('keeps array order and distinguishes values', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
  });
});
