import { suppressTable, TOTAL, type Dimension } from './disclosure.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec.js';

const DIMENSIONS: Dimension[] = [
  { name: 'partner', members: ['A', 'B', 'C'], groups: { NORTH: ['A', 'B'], SOUTH: ['C'] } },
  { name: 'arm', members: ['IPS', 'CONTROL'] },
];
const COUNTS: Record<string, number> = {
  'A/IPS': 12,
  'A/CONTROL': 2,
  'B/IPS': 9,
  'B/CONTROL': 14,
  'C/IPS': 7,
  'C/CONTROL': 8,
};

describe('a published snapshot stored as text (kit/snapshot-codec.ts)', () => {
  it('rebuilds a suppressed table that answers as the computed one: cells, true counts, equations and cell()', () => {
    const table = suppressTable(DIMENSIONS, (key) => COUNTS[key.join('/')] ?? 0, { threshold: 5 });
    const restored = decodeSnapshot<{ table: typeof table }>(encodeSnapshot({ table })).table;
    expect(restored.cells).toEqual(table.cells);
    expect(restored.trueCounts).toEqual(table.trueCounts);
    expect(restored.equations).toEqual(table.equations);
    expect(restored.dimensions).toEqual(table.dimensions);
    for (const cell of table.cells) expect(restored.cell(cell.key)).toEqual(cell);
    expect(restored.cell(['A', 'CONTROL'])).toMatchObject({ count: null, suppressed: 'PRIMARY' });
    expect(restored.cell(['NORTH', TOTAL])).toBeDefined();
    expect(restored.cell(['Z', 'IPS'])).toBeUndefined();
  });

  it('keeps Maps, Sets and Dates as they were (the CONSORT flows, the design history)', () => {
    const value = {
      stages: new Map([['*', { at: new Date('2026-03-01T10:00:00.000Z'), n: 3 }]]),
      hidden: new Map([['*', new Set(['randomised', 'arms.IPS.allocated'])]]),
      rows: [{ a: null, b: 'x' }],
    };
    const restored = decodeSnapshot<typeof value>(encodeSnapshot(value));
    expect(restored).toEqual(value);
    expect(restored.stages.get('*')!.at).toBeInstanceOf(Date);
    expect(restored.hidden.get('*')).toBeInstanceOf(Set);
  });

  it('refuses a value it could not give back (a function outside a table), rather than storing less', () => {
    expect(() => encodeSnapshot({ rows: [{ f: () => 1 }] })).toThrow(/value\.rows\[0\]\.f: a function/);
  });
});
