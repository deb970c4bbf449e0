import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

/**
 * A WOFF 1.0 font (W3C WOFF File Format 1.0) unpacked into the OpenType file it wraps: each
 * table inflated (zlib) when it was stored compressed, laid out again behind an sfnt table
 * directory. fontkit reads WOFF itself, but inflates tables again on every access, which makes a
 * CJK font take seconds per PDF; unpacked once, it takes milliseconds.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new TypeError('not a WOFF 1.0 font');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  let entrySelector = 0;
  while (2 ** (entrySelector + 1) <= numTables) entrySelector += 1;
  const searchRange = 2 ** entrySelector * 16;
  const directory = Buffer.alloc(12 + 16 * numTables);
  directory.writeUInt32BE(flavor, 0);
  directory.writeUInt16BE(numTables, 4);
  directory.writeUInt16BE(searchRange, 6);
  directory.writeUInt16BE(entrySelector, 8);
  directory.writeUInt16BE(numTables * 16 - searchRange, 10);
  const parts: Buffer[] = [directory];
  let offset = directory.length;
  for (let i = 0; i < numTables; i += 1) {
    const entry = 44 + i * 20;
    const tag = woff.readUInt32BE(entry);
    const at = woff.readUInt32BE(entry + 4);
    const compLength = woff.readUInt32BE(entry + 8);
    const origLength = woff.readUInt32BE(entry + 12);
    const checksum = woff.readUInt32BE(entry + 16);
    const stored = woff.subarray(at, at + compLength);
    const data = compLength < origLength ? inflateSync(stored) : stored;
    if (data.length !== origLength)
      throw new TypeError('a WOFF table does not inflate to its size');
    const record = 12 + i * 16;
    directory.writeUInt32BE(tag, record);
    directory.writeUInt32BE(checksum, record + 4);
    directory.writeUInt32BE(offset, record + 8);
    directory.writeUInt32BE(origLength, record + 12);
    // Tables start on 4-byte boundaries.
    const padding = Buffer.alloc((4 - (data.length % 4)) % 4);
    parts.push(data, padding);
    offset += data.length + padding.length;
  }
  return Buffer.concat(parts);
}

const unpacked = new Map<string, Buffer>();

/** The font at `path` (a WOFF file), unpacked once per process. */
export function unpackedFont(path: string): Buffer {
  let font = unpacked.get(path);
  if (!font) {
    font = woffToSfnt(readFileSync(path));
    unpacked.set(path, font);
  }
  return font;
}
