/**
 * The cell key method's perturbation table (R19; DISCLOSURE_CONTROL.cellKey in schema/policy.ts):
 * the properties a privacy officer is promised — unbiased noise bounded by D, no negative count, no
 * count 1..js published, zeros kept, the same people always the same noise — checked on the
 * policy's parameters and on others.
 */
import { DISCLOSURE_CONTROL } from '../../schema/policy.js';
import { addKeySums, buildPtable, cellKeyOf, perturb, RECORD_KEY_MODULUS, type CellKeyParams } from './cell-key.js';

const PARAMETER_SETS: readonly CellKeyParams[] = [
  DISCLOSURE_CONTROL.cellKey,
  { maxNoise: 3, variance: 1, smallCounts: 2 },
  { maxNoise: 4, variance: 2.5, smallCounts: 4 },
  { maxNoise: 2, variance: 1, smallCounts: 0 },
  { maxNoise: 6, variance: 36, smallCounts: 4 },
];

describe.each(PARAMETER_SETS)('the ptable of D=$maxNoise, V=$variance, js=$smallCounts', (params) => {
  const ptable = buildPtable(params);
  const { maxNoise: d, variance: v, smallCounts: js } = params;

  it('has a row per count up to D + js + 1, each a distribution whose key intervals tile [0, 1)', () => {
    expect(ptable.rows.map((row) => row.count)).toEqual(Array.from({ length: d + js + 2 }, (_, i) => i));
    for (const row of ptable.rows) {
      expect(row.entries.reduce((s, e) => s + e.probability, 0)).toBeCloseTo(1, 12);
      expect(row.entries[0]!.lower).toBe(0);
      expect(row.entries[row.entries.length - 1]!.upper).toBe(1);
      row.entries.forEach((entry, n) => {
        expect(entry.probability).toBeGreaterThan(0);
        if (n > 0) expect(entry.lower).toBe(row.entries[n - 1]!.upper);
      });
    }
  });

  it('is unbiased: every row has mean noise 0', () => {
    for (const row of ptable.rows) {
      const mean = row.entries.reduce((s, e) => s + e.probability * e.noise, 0);
      expect(Math.abs(mean)).toBeLessThan(1e-12);
    }
  });

  it('never moves a count by more than D, never publishes a negative count or one in 1..js, and keeps a zero', () => {
    expect(ptable.rows[0]!.entries).toEqual([{ noise: 0, probability: 1, lower: 0, upper: 1 }]);
    for (const row of ptable.rows) {
      for (const { noise } of row.entries) {
        const published = row.count + noise;
        expect(Math.abs(noise)).toBeLessThanOrEqual(d);
        expect(published).toBeGreaterThanOrEqual(0);
        if (row.count > 0) expect(published === 0 || published > js).toBe(true);
      }
    }
  });

  it('has the variance V wherever the support allows it, else the nearest it can reach, exactly unbiased', () => {
    for (const row of ptable.rows) {
      if (row.count === 0) continue;
      const noises = row.entries.map((e) => e.noise);
      const variance = row.entries.reduce((s, e) => s + e.probability * e.noise ** 2, 0);
      // the widest unbiased spread: all on the two extreme noises
      const farthest = -Math.min(...noises) * Math.max(...noises);
      // a count 1..js cannot stay: its least spread is on 0 and js + 1, the published counts either side
      const nearest = row.count <= js ? row.count * (js + 1 - row.count) : 0;
      expect(variance).toBeCloseTo(Math.min(Math.max(v, nearest), farthest), 6);
      expect(row.variance).toBeCloseTo(variance, 9);
    }
  });

  it('publishes the row of D + js + 1 for every larger count, symmetric around the count', () => {
    const last = ptable.rows[ptable.rows.length - 1]!;
    for (const key of [0, 0.1, 0.5, 0.75, 0.999999])
      expect(perturb(1000, key, ptable).noise).toBe(perturb(last.count, key, ptable).noise);
    const byNoise = new Map(last.entries.map((e) => [e.noise, e.probability]));
    for (const [noise, p] of byNoise) expect(byNoise.get(-noise)).toBeCloseTo(p, 9);
  });

  it('gives each count its row: keys spread evenly over [0, 1) average to no noise and reach every noise of the row', () => {
    const n = 50_000;
    for (const row of ptable.rows) {
      let total = 0;
      const seen = new Set<number>();
      for (let k = 0; k < n; k += 1) {
        const { noise } = perturb(row.count, (k + 0.5) / n, ptable);
        total += noise;
        seen.add(noise);
      }
      expect(Math.abs(total / n)).toBeLessThan(1e-3);
      expect([...seen].sort((a, b) => a - b)).toEqual(
        row.entries.filter((e) => e.probability > 1e-4).map((e) => e.noise),
      );
    }
  });
});

describe('the ptable is a pure function of its parameters', () => {
  it('pins the policy rows for small counts: 1..js go to 0 or to js + 1 and beyond, unbiased', () => {
    const ptable = buildPtable({ maxNoise: 5, variance: 3, smallCounts: 4 });
    const rounded = (count: number) =>
      ptable.rows[count]!.entries.map((e) => [e.noise, Math.round(e.probability * 1e4) / 1e4]);
    expect(rounded(0)).toEqual([[0, 1]]);
    expect(rounded(1)).toEqual([
      [-1, 0.8],
      [4, 0.2],
    ]);
    expect(rounded(2)).toEqual([
      [-2, 0.6],
      [3, 0.4],
    ]);
    expect(rounded(3)).toEqual([
      [-3, 0.4],
      [2, 0.6],
    ]);
    expect(rounded(4)).toEqual([
      [-4, 0.2],
      [1, 0.8],
    ]);
    expect(rounded(10)).toEqual([
      [-5, 0.0038],
      [-4, 0.0166],
      [-3, 0.0523],
      [-2, 0.1187],
      [-1, 0.1942],
      [0, 0.2288],
      [1, 0.1942],
      [2, 0.1187],
      [3, 0.0523],
      [4, 0.0166],
      [5, 0.0038],
    ]);
  });

  it('refuses parameters it cannot honour', () => {
    expect(() => buildPtable({ maxNoise: 3, variance: 1, smallCounts: 4 })).toThrow(/at least js/);
    expect(() => buildPtable({ maxNoise: 0, variance: 1, smallCounts: 0 })).toThrow(/positive integer/);
    expect(() => buildPtable({ maxNoise: 2, variance: 5, smallCounts: 0 })).toThrow(/variance/);
    expect(() => perturb(-1, 0.5, DISCLOSURE_CONTROL.cellKey)).toThrow(/non-negative/);
    expect(() => perturb(3, 1, DISCLOSURE_CONTROL.cellKey)).toThrow(/\[0, 1\)/);
  });
});

describe('cell keys: the same people always get the same noise', () => {
  const recordKeys = [123n, 4_000_000_000n, 2_999_999_999n, 17n, 3_141_592_653n, 2_718_281_828n, 1_000_000_007n];

  it('reads a cell key as the fractional part of the sum of record keys (integers of 32 bits)', () => {
    expect(cellKeyOf(0n)).toBe(0);
    expect(cellKeyOf(BigInt(RECORD_KEY_MODULUS) + 5n)).toBe(5 / RECORD_KEY_MODULUS);
    expect(cellKeyOf('8589934594')).toBe(2 / RECORD_KEY_MODULUS);
    expect(cellKeyOf(-1n)).toBe((RECORD_KEY_MODULUS - 1) / RECORD_KEY_MODULUS); // a difference of sums, modulo 2^32
  });

  it("gives a margin the key of its people whatever the split into parts, so another table's cell of the same people draws the same noise", () => {
    const whole = cellKeyOf(addKeySums(recordKeys));
    const split = cellKeyOf(addKeySums([addKeySums(recordKeys.slice(0, 3)), addKeySums(recordKeys.slice(3))]));
    const reversed = cellKeyOf(addKeySums([...recordKeys].reverse()));
    expect(split).toBe(whole);
    expect(reversed).toBe(whole);
    expect(perturb(recordKeys.length, split, DISCLOSURE_CONTROL.cellKey)).toEqual(
      perturb(recordKeys.length, whole, DISCLOSURE_CONTROL.cellKey),
    );
  });

  it('answers the same every time it is asked: averaging repeated answers learns nothing', () => {
    const key = cellKeyOf(addKeySums(recordKeys.slice(0, 2)));
    const answers = new Set(Array.from({ length: 50 }, () => perturb(2, key, DISCLOSURE_CONTROL.cellKey).published));
    expect(answers.size).toBe(1);
  });
});
