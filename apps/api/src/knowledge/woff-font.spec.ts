import { readFileSync } from 'node:fs';
import { woffToSfnt } from './woff-font';

const WOFF =
  require.resolve('@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff');

/** An OpenType table's checksum: its 32-bit words (zero-padded) summed modulo 2^32. */
function checksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) {
    const word = Buffer.alloc(4);
    data.copy(word, 0, i, Math.min(i + 4, data.length));
    sum = (sum + word.readUInt32BE(0)) >>> 0;
  }
  return sum;
}

describe(woffToSfnt.name, () => {
  const woff = readFileSync(WOFF);
  const sfnt = woffToSfnt(woff);

  it('unpacks into an OpenType font whose every table matches its recorded checksum', () => {
    // The font's own flavour: 0x00010000 (TrueType outlines) for this one.
    expect(sfnt.readUInt32BE(0)).toBe(woff.readUInt32BE(4));
    const numTables = sfnt.readUInt16BE(4);
    expect(numTables).toBe(woff.readUInt16BE(12));
    const tags: string[] = [];
    for (let i = 0; i < numTables; i += 1) {
      const record = 12 + i * 16;
      const tag = sfnt.subarray(record, record + 4).toString('latin1');
      tags.push(tag);
      const offset = sfnt.readUInt32BE(record + 8);
      expect(offset % 4).toBe(0);
      const data = sfnt.subarray(offset, offset + sfnt.readUInt32BE(record + 12));
      // `head` is summed with its checkSumAdjustment (bytes 8–11) taken as zero.
      const summed =
        tag === 'head'
          ? Buffer.concat([data.subarray(0, 8), Buffer.alloc(4), data.subarray(12)])
          : data;
      expect([tag, checksum(summed)]).toEqual([tag, sfnt.readUInt32BE(record + 4)]);
    }
    expect(tags).toEqual(expect.arrayContaining(['cmap', 'head', 'hmtx', 'glyf']));
  });

  it('refuses a file that is not WOFF', () => {
    expect(() => woffToSfnt(sfnt)).toThrow('not a WOFF 1.0 font');
  });
});
