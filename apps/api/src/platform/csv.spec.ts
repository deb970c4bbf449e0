import { parse } from 'csv-parse/sync';
import { csvCell, csvStream, pagesOf, rowsOf, type CsvColumn } from './csv';

interface Row {
  name: string;
  n: number | null;
}

const COLUMNS: CsvColumn<Row>[] = [
  { header: 'Name', value: (r) => r.name },
  { header: 'Count', value: (r) => r.n },
];

async function* from<T>(rows: T[]): AsyncGenerator<T> {
  yield* rows;
}

async function csvOf(rows: Row[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of csvStream(COLUMNS, from(rows))) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('csvCell', () => {
  it.each(['=SUM(A1:A2)', '+1', '-2+3', '@cmd', '\tx', '\rx', '=HYPERLINK("http://x")'])(
    'prefixes %j, which a spreadsheet would read as a formula, with a quote',
    (value) => {
      expect(csvCell(value)).toBe(`'${value}`);
    },
  );

  it.each(['plain', 'a=b', ' =x', "'quoted", 'Ñandú', '成都合作', ''])(
    'leaves %j as it is',
    (value) => {
      expect(csvCell(value)).toBe(value);
    },
  );

  it('writes numbers as numbers (a negative one is not text) and nothing as an empty cell', () => {
    expect(csvCell(-3)).toBe(-3);
    expect(csvCell(0)).toBe(0);
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('csvStream', () => {
  it('starts with a UTF-8 byte-order mark, then the header, records ended by CRLF', async () => {
    const bytes = await csvOf([{ name: 'Valencia', n: 1 }]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('Name,Count\r\nValencia,1\r\n');
  });

  it('quotes commas, quotes and line breaks as RFC 4180 says, and keeps CJK and accents', async () => {
    const rows = [
      { name: 'Chengdu, Sichuan', n: 2 },
      { name: 'the "Huerta" project', n: null },
      { name: 'line one\nline two\r\nline three', n: 3 },
      { name: '四川大学 · Universitat de València', n: 4 },
    ];
    const text = (await csvOf(rows)).toString('utf8');
    expect(text).toContain('\r\n"Chengdu, Sichuan",2\r\n');
    expect(text).toContain('\r\n"the ""Huerta"" project",\r\n');
    expect(text).toContain('\r\n"line one\nline two\r\nline three",3\r\n');
    expect(parse(text, { bom: true, columns: true })).toEqual(
      rows.map((r) => ({ Name: r.name, Count: r.n === null ? '' : String(r.n) })),
    );
  });

  it('neutralises formulas in every text cell, inside quotes too', async () => {
    const text = (await csvOf([{ name: '=1+1, "x"', n: -1 }])).toString('utf8');
    expect(text).toContain(`\r\n"'=1+1, ""x""",-1\r\n`);
  });

  it('writes only the header for no rows', async () => {
    expect((await csvOf([])).toString('utf8')).toBe('\ufeffName,Count\r\n');
  });
});

describe('pagesOf', () => {
  it('reads page after page until a short one, every row once in order', async () => {
    const all = Array.from({ length: 7 }, (_, i) => i);
    const asked: number[] = [];
    const seen: number[] = [];
    for await (const n of pagesOf(async (page, size) => {
      asked.push(page);
      return all.slice((page - 1) * size, page * size);
    }, 3))
      seen.push(n);
    expect(seen).toEqual(all);
    expect(asked).toEqual([1, 2, 3]);
  });

  it('stops after an empty page when the rows fill the pages exactly', async () => {
    const asked: number[] = [];
    const seen: number[] = [];
    for await (const n of pagesOf(async (page) => {
      asked.push(page);
      return page <= 2 ? [page * 10, page * 10 + 1] : [];
    }, 2))
      seen.push(n);
    expect(seen).toEqual([10, 11, 20, 21]);
    expect(asked).toEqual([1, 2, 3]);
  });
});

describe('rowsOf', () => {
  it('reads the listed ids a batch at a time and gives the rows in the list’s order, without those gone since', async () => {
    const asked: string[][] = [];
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const seen: string[] = [];
    for await (const row of rowsOf(
      ids,
      async (batch) => {
        asked.push(batch);
        // The database's own order, and 'c' deleted meanwhile.
        return [...batch]
          .reverse()
          .filter((id) => id !== 'c')
          .map((id) => ({ id }));
      },
      2,
    ))
      seen.push(row.id);
    expect(asked).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(seen).toEqual(['a', 'b', 'd', 'e']);
  });

  it('asks nothing for an empty list', async () => {
    const fetch = jest.fn(async () => [] as { id: string }[]);
    for await (const row of rowsOf([], fetch)) throw new Error(`unexpected ${row.id}`);
    expect(fetch).not.toHaveBeenCalled();
  });
});
