/**
 * Randomisation to trial grade (R6): the real allocation function in PostgreSQL, driven
 * 100 000 times per design, against a guesser who knows every past allocation and
 * always guesses the arm that is behind (Blackwell–Hodges); 200 concurrent draws; and
 * the concealment of the vault's state from the application's own database role.
 */
import { ROLES } from '../schema/identity.js';
import { readFileSync } from 'node:fs';
import { roleSupergraphPath } from '../platform/compose.js';
import { APPROVE_TRIAL_DESIGN, CONFIGURE_TRIAL, SECOND_RESEARCHER } from './fixtures.js';
import { errorCodes, startTestPlatform, type TestPlatform } from './harness.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform({ snapshots: false }); // hundreds of thousands of draws, no published aggregate read
});
afterAll(async () => {
  await graph?.stop();
});

const N = 100_000;
const DRAW_TIMEOUT = 300_000;

/** Puts a design live through the vault's own function, from a proposal a second researcher approved, as the research role does. */
async function configure(
  procedure: 'PERMUTED_BLOCKS' | 'BIG_STICK',
  blockSizes: number[] | null,
  maximalImbalance: number | null,
): Promise<void> {
  await graph.configureTrialDesign({
    procedure,
    blockSizes,
    maximalImbalance,
    rationale: 'statistical test of the allocation function',
  });
}

/**
 * N draws in one stratum by the real function, in draw order: a thousand per statement, each
 * statement its own transaction as real randomisations are (one long transaction would make
 * every draw walk the stratum row's growing chain of versions).
 */
async function drawSequence(stratum: string): Promise<('IPS' | 'CONTROL')[]> {
  const arms: ('IPS' | 'CONTROL')[] = [];
  const started = Date.now();
  for (let from = 0; from < N; from += 1000) {
    const rows = await graph.roleSql<{ arm: 'IPS' | 'CONTROL' }>(
      'research',
      `select a.arm from generate_series($1::int, $2::int) g,
         lateral allocation_vault.allocate(gen_random_uuid(), 'WALLONIA', $3, 'statistics', $3 || '-' || g, 'f') a
       order by a.draw_number`,
      [from + 1, Math.min(from + 1000, N), stratum],
    );
    arms.push(...rows.map((row) => row.arm));
  }
  timings.push(`${stratum}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return arms;
}
const timings: string[] = [];

interface Guessing {
  correct: number;
  certain: number;
  maxImbalance: number;
}

/**
 * The convergence guesser: knows every past allocation of the stratum, guesses the arm
 * that is behind, tosses a coin on ties. `certainWhen` says when the design leaves only
 * one possible arm given what the guesser knows.
 */
function guess(
  sequence: ('IPS' | 'CONTROL')[],
  certainWhen: (imbalance: number, index: number, sincePositionInBlock: number) => boolean,
): Guessing {
  let imbalance = 0;
  let correct = 0;
  let certain = 0;
  let maxImbalance = 0;
  sequence.forEach((arm, index) => {
    const guessed = imbalance > 0 ? 'CONTROL' : imbalance < 0 ? 'IPS' : Math.random() < 0.5 ? 'IPS' : 'CONTROL';
    if (guessed === arm) correct += 1;
    if (certainWhen(imbalance, index, 0)) certain += 1;
    imbalance += arm === 'IPS' ? 1 : -1;
    maxImbalance = Math.max(maxImbalance, Math.abs(imbalance));
  });
  return { correct: correct / sequence.length, certain: certain / sequence.length, maxImbalance };
}

/**
 * Share of allocations the guesser could predict with certainty, knowing every past
 * allocation and the design (block sizes, not where blocks begin): the history is a
 * string of complete balanced blocks followed by an open one, and an allocation is
 * certain when every way of reading the history that way leaves only one arm possible.
 */
function certainUnderBlocks(sequence: ('IPS' | 'CONTROL')[], sizes: number[]): number {
  const maxSize = Math.max(...sizes);
  const complete: boolean[] = [true]; // complete[i]: the first i allocations are whole blocks
  const prefixIps: number[] = [0];
  let certain = 0;
  for (let n = 0; n < sequence.length; n += 1) {
    const possible = new Set<string>();
    for (let start = Math.max(0, n - maxSize + 1); start <= n; start += 1) {
      if (!complete[start]) continue;
      const length = n - start;
      const ips = prefixIps[n]! - prefixIps[start]!;
      const control = length - ips;
      for (const size of sizes) {
        if (size <= length || ips > size / 2 || control > size / 2) continue; // the open block must still have room
        if (ips < size / 2) possible.add('IPS');
        if (control < size / 2) possible.add('CONTROL');
      }
    }
    if (possible.size === 1) certain += 1;
    prefixIps.push(prefixIps[n]! + (sequence[n] === 'IPS' ? 1 : 0));
    const length = n + 1;
    complete.push(
      sizes.some(
        (size) =>
          size <= length && complete[length - size] && (prefixIps[length]! - prefixIps[length - size]!) * 2 === size,
      ),
    );
  }
  return certain / sequence.length;
}

describe('predictability of the real allocation function (100 000 draws per design)', () => {
  const report: string[] = [];
  afterAll(() => console.log(`Randomisation, ${N} draws per design:\n${report.join('\n')}\n  (${timings.join(', ')})`));

  it(
    'permuted blocks of random size {2, 4, 6}: 0.7028 correct, 0.042 certain, |imbalance| ≤ 3',
    async () => {
      await configure('PERMUTED_BLOCKS', [2, 4, 6], null);
      const sequence = await drawSequence('STAT-RANDOM-BLOCKS');
      const result = guess(sequence, () => false);
      const certain = certainUnderBlocks(sequence, [2, 4, 6]);
      report.push(
        `  permuted blocks {2,4,6}: correct ${result.correct.toFixed(4)} (expected 0.7028), certain ${certain.toFixed(4)} (0.042), max |imbalance| ${result.maxImbalance}`,
      );
      expect(Math.abs(result.correct - 0.7028)).toBeLessThanOrEqual(0.005);
      expect(Math.abs(certain - 0.042)).toBeLessThanOrEqual(0.005);
      expect(result.maxImbalance).toBeLessThanOrEqual(3);
    },
    DRAW_TIMEOUT,
  );

  it(
    'fixed blocks of 4, for contrast: 0.7083 correct, 0.334 certain',
    async () => {
      await configure('PERMUTED_BLOCKS', [4], null);
      const sequence = await drawSequence('STAT-FIXED-4');
      const result = guess(sequence, () => false);
      const certain = certainUnderBlocks(sequence, [4]);
      report.push(
        `  fixed blocks of 4:       correct ${result.correct.toFixed(4)} (expected 0.7083), certain ${certain.toFixed(4)} (0.334), max |imbalance| ${result.maxImbalance}`,
      );
      expect(Math.abs(result.correct - 0.7083)).toBeLessThanOrEqual(0.005);
      expect(Math.abs(certain - 0.334)).toBeLessThanOrEqual(0.005);
      expect(result.maxImbalance).toBeLessThanOrEqual(2);
    },
    DRAW_TIMEOUT,
  );

  it(
    'big stick, maximal tolerated imbalance 3: 0.5833 correct, |imbalance| ≤ 3',
    async () => {
      await configure('BIG_STICK', null, 3);
      const sequence = await drawSequence('STAT-BIG-STICK');
      const result = guess(sequence, (imbalance) => Math.abs(imbalance) === 3);
      report.push(
        `  big stick MTI 3:         correct ${result.correct.toFixed(4)} (expected 0.5833), certain ${result.certain.toFixed(4)}, max |imbalance| ${result.maxImbalance}`,
      );
      expect(Math.abs(result.correct - 0.5833)).toBeLessThanOrEqual(0.005);
      expect(result.maxImbalance).toBeLessThanOrEqual(3);
    },
    DRAW_TIMEOUT,
  );
});

describe('concurrency', () => {
  it('never gives one slot to two draws nor allocates a person twice, under 200 parallel randomisations', async () => {
    await configure('PERMUTED_BLOCKS', [2, 4, 6], null);
    const people = Array.from({ length: 200 }, () => crypto.randomUUID());
    const attempts = [...people, ...people.slice(0, 50)]; // 50 people randomised twice at once
    const results = await Promise.allSettled(
      attempts.map((id, index) =>
        graph.roleSql<{ arm: string; draw_number: string }>(
          'research',
          `select arm, draw_number from allocation_vault.allocate($1, 'BRUSSELS', 'CONCURRENT', 'concurrency', $2, 'f')`,
          [id, `c-${index}`],
        ),
      ),
    );
    const succeeded = results
      .filter((r) => r.status === 'fulfilled')
      .map((r) => (r as PromiseFulfilledResult<{ arm: string; draw_number: string }[]>).value[0]!);
    const refused = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
    expect(succeeded).toHaveLength(200);
    expect(refused).toHaveLength(50);
    expect(refused.every((reason) => /already allocated/.test(reason))).toBe(true);
    expect(new Set(succeeded.map((row) => row.draw_number)).size).toBe(200);
    const [{ people: allocated, rows }] = (await graph.sql<{ people: string; rows: string }>(
      `select count(distinct participant_id) as people, count(*) as rows from research.allocation where stratum = 'CONCURRENT'`,
    )) as [{ people: string; rows: string }];
    expect({ allocated, rows }).toEqual({ allocated: '200', rows: '200' });
    // Every completed block holds as many of each arm; no slot was used twice.
    const blocks = await graph.sql<{
      block_number: number;
      block_size: number;
      n: string;
      ips: string;
      positions: string;
    }>(
      `select block_number, block_size, count(*) as n, count(*) filter (where arm = 'IPS') as ips, count(distinct position_in_block) as positions
       from allocation_vault.draw_log where stratum = 'CONCURRENT' group by block_number, block_size order by block_number`,
    );
    for (const block of blocks.slice(0, -1))
      expect({ n: Number(block.n), ips: Number(block.ips), positions: Number(block.positions) }).toEqual({
        n: block.block_size,
        ips: block.block_size / 2,
        positions: block.block_size,
      });
    const [integrity] = await graph.roleSql<{ gaps: string; mismatches: string; chain_intact: boolean }>(
      'research',
      'select gaps, mismatches, chain_intact from allocation_vault.integrity()',
    );
    expect(integrity!.gaps).toBe('0'); // refused duplicates consumed no draw
    expect(integrity).toMatchObject({ mismatches: '0', chain_intact: true }); // 200 parallel draws, one unforked chain, each allocation as drawn
  });
});

describe('concealment (CONSORT item 9)', () => {
  it("refuses the research subgraph's own database role any read of the vault's state or draw log, and any direct allocation", async () => {
    for (const table of ['stratum_state', 'draw_log', 'trial_configuration']) {
      await expect(graph.roleSql('research', `select * from allocation_vault.${table}`)).rejects.toThrow(
        /permission denied/,
      );
    }
    await expect(graph.roleSql('research', 'select allocation_vault.random_below(2)')).rejects.toThrow(
      /permission denied/,
    );
    await expect(
      graph.roleSql(
        'research',
        `insert into research.allocation (id, participant_id, arm, region, stratum, draw_number, config_version, allocated_at, idempotency_key, requested_by, request_fingerprint)
                    values (gen_random_uuid(), gen_random_uuid(), 'IPS', 'BRUSSELS', 'BRUSSELS', 999999, 1, now(), 'k', 'x', 'f')`,
      ),
    ).rejects.toThrow(/permission denied/);
    const [role] = await graph.roleSql<{ rolsuper: boolean }>(
      'research',
      'select rolsuper from pg_roles where rolname = current_user',
    );
    expect(role!.rolsuper).toBe(false);
  });

  it('keeps allocations unchangeable in the database, whoever asks (R6)', async () => {
    await expect(graph.sql("update research.allocation set arm = 'IPS' where arm = 'CONTROL'")).rejects.toThrow(
      /immutable/,
    );
    await expect(graph.sql('delete from research.allocation')).rejects.toThrow(/immutable/);
  });

  it("offers no field, in any role's schema, that exposes a stratum's state", () => {
    for (const role of ROLES) {
      const sdl = readFileSync(roleSupergraphPath(role), 'utf8');
      expect({
        role,
        leaks:
          sdl.match(
            /\b(ipsLeft|controlLeft|blockNumber|positionInBlock|currentBlock|imbalanceNow|nextArm|stratumState)\b/g,
          ) ?? [],
      }).toEqual({ role, leaks: [] });
    }
  });

  it('reports the design as CONSORT items 8a, 8b, 9 and 10, versioned, once a second researcher approved it', async () => {
    const proposed = await graph.query<{ configureTrial: { id: string; status: string; version: number | null } }>(
      'RESEARCHER',
      CONFIGURE_TRIAL,
      {
        input: {
          procedure: 'BIG_STICK',
          maximalImbalance: 3,
          rationale: 'Amendment 2: big stick for a less predictable sequence.',
        },
      },
    );
    expect(proposed.errors).toBeUndefined();
    expect(proposed.data!.configureTrial).toMatchObject({ status: 'PROPOSED', version: null });
    const approved = await graph.query<{
      approveTrialDesign: {
        design: { version: number; configuredBy: string; approvedBy: string; consort: Record<string, string> };
      };
    }>({ ...SECOND_RESEARCHER }, APPROVE_TRIAL_DESIGN, { id: proposed.data!.configureTrial.id });
    expect(approved.errors).toBeUndefined();
    const { consort, version, configuredBy, approvedBy } = approved.data!.approveTrialDesign.design;
    expect({ configuredBy, approvedBy }).toEqual({
      configuredBy: 'researcher-1',
      approvedBy: SECOND_RESEARCHER.subject,
    });
    expect(consort.sequenceGeneration).toMatch(/^8a: .*cryptographic/);
    expect(consort.restriction).toMatch(
      /^8b: Allocation ratio 1:1, stratified by region .*big stick .*maximal tolerated imbalance of 3/,
    );
    expect(consort.concealment).toMatch(/^9: /);
    expect(consort.implementation).toMatch(/^10: .*INAMI.*proposed by researcher-1, approved by researcher-2/);
    const designs = await graph.query<{ trialDesigns: { version: number }[] }>(
      'INAMI',
      '{ trialDesigns { version procedure } }',
    );
    expect(designs.data!.trialDesigns[0]!.version).toBe(version);
    expect(designs.data!.trialDesigns.length).toBe(version);
  });

  it.each([
    [{ procedure: 'PERMUTED_BLOCKS', blockSizes: [3, 4], rationale: 'odd block size here' }, 'input.blockSizes'],
    [{ procedure: 'PERMUTED_BLOCKS', blockSizes: [], rationale: 'no block size at all' }, 'input.blockSizes'],
    [{ procedure: 'PERMUTED_BLOCKS', blockSizes: [2, 2], rationale: 'repeated block size' }, 'input.blockSizes.1'], // the kit's input guard names the repeated entry
    [
      { procedure: 'PERMUTED_BLOCKS', blockSizes: [2, 4], maximalImbalance: 3, rationale: 'mixed designs here' },
      'input.maximalImbalance',
    ],
    [
      { procedure: 'BIG_STICK', maximalImbalance: 0, rationale: 'imbalance zero is no design' },
      'input.maximalImbalance',
    ],
    [{ procedure: 'BIG_STICK', rationale: 'missing imbalance value' }, 'input.maximalImbalance'],
    [{ procedure: 'BIG_STICK', maximalImbalance: 3, rationale: 'short' }, 'input.rationale'],
  ])('refuses the design %j naming the field, and records no version', async (input, field) => {
    const before = await graph.query<{ trialDesigns: unknown[] }>('RESEARCHER', '{ trialDesigns { version } }');
    const response = await graph.query('RESEARCHER', CONFIGURE_TRIAL, { input });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    const after = await graph.query<{ trialDesigns: unknown[] }>('RESEARCHER', '{ trialDesigns { version } }');
    expect(after.data!.trialDesigns.length).toBe(before.data!.trialDesigns.length);
  });

  describe('four eyes inside the vault (R6, CONSORT 8b/9)', () => {
    /** A proposal written as the research role, as its subgraph would (the approval columns left to `approve`). */
    async function propose(by = 'researcher-a'): Promise<string> {
      const [row] = await graph.roleSql<{ id: string }>(
        'research',
        `insert into research.trial_design_proposal (id, procedure, block_sizes, strata, rationale, proposed_by, proposed_by_organisation, idempotency_key, requested_by, request_fingerprint)
         values (gen_random_uuid(), 'PERMUTED_BLOCKS', '{2}', '{region}', 'predictable blocks of two', $1, 'ULB', gen_random_uuid()::text, 'x', 'f') returning id`,
        [by],
      );
      return row!.id;
    }
    const versions = async () =>
      (await graph.sql<{ n: string }>('select count(*) as n from allocation_vault.trial_configuration'))[0]!.n;

    it("refuses, with PostgreSQL's own error, to put live a proposal no second researcher approved", async () => {
      const before = await versions();
      const id = await propose();
      await expect(graph.roleSql('research', 'select allocation_vault.configure($1)', [id])).rejects.toMatchObject({
        code: '42501',
        message: expect.stringMatching(/not approved/),
      });
      await expect(
        graph.roleSql('research', 'select allocation_vault.configure(gen_random_uuid())'),
      ).rejects.toMatchObject({ code: '42501' });
      expect(await versions()).toBe(before);
    });

    it('refuses a proposal approved by its own author, in the table and in the vault', async () => {
      const before = await versions();
      const id = await propose('researcher-a');
      await expect(
        graph.roleSql(
          'research',
          "update research.trial_design_proposal set approved_by = 'researcher-a', approved_by_organisation = 'ULB', approved_at = now() where id = $1",
          [id],
        ),
      ).rejects.toMatchObject({ code: '23514' });
      await expect(graph.roleSql('research', 'select allocation_vault.configure($1)', [id])).rejects.toMatchObject({
        code: '42501',
      });
      expect(await versions()).toBe(before);
    });

    it('offers no way in with raw parameters, and no way to the design in force but the vault', async () => {
      const before = await versions();
      await expect(
        graph.roleSql(
          'research',
          "select allocation_vault.configure('PERMUTED_BLOCKS', '{2}'::int[], null, '{region}'::text[], 'blocks of two', 'anyone')",
        ),
      ).rejects.toMatchObject({ code: '42883' });
      await expect(
        graph.roleSql(
          'research',
          "insert into allocation_vault.trial_configuration (version, procedure, block_sizes, strata, allocation_ratio, rationale, configured_by) values (999, 'PERMUTED_BLOCKS', '{2}', '{region}', '1:1', 'x', 'x')",
        ),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(
        graph.roleSql('research', 'update research.trial_design_proposal set version = 999'),
      ).rejects.toMatchObject({ code: '42501' });
      expect(await versions()).toBe(before);
    });

    it('puts an approved proposal live once, as the version it records', async () => {
      const id = await propose('researcher-a');
      await graph.roleSql(
        'research',
        "update research.trial_design_proposal set approved_by = 'researcher-b', approved_by_organisation = 'ULB', approved_at = now() where id = $1",
        [id],
      );
      const [{ version }] = (await graph.roleSql<{ version: number }>(
        'research',
        'select allocation_vault.configure($1) as version',
        [id],
      )) as [{ version: number }];
      const [recorded] = await graph.sql<{ version: number; configured_by: string }>(
        'select p.version, c.configured_by from research.trial_design_proposal p join allocation_vault.trial_configuration c on c.version = p.version where p.id = $1',
        [id],
      );
      expect(recorded).toEqual({ version, configured_by: 'researcher-a' });
      await expect(graph.roleSql('research', 'select allocation_vault.configure($1)', [id])).rejects.toMatchObject({
        code: '55000',
      });
      // The approval stands as signed, and the design as proposed.
      await expect(
        graph.roleSql(
          'research',
          "update research.trial_design_proposal set approved_by = 'researcher-c' where id = $1",
          [id],
        ),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(
        graph.roleSql('research', "update research.trial_design_proposal set block_sizes = '{2,4}' where id = $1", [
          id,
        ]),
      ).rejects.toMatchObject({ code: '42501' });
    });
  });

  it('lets only researchers configure the design', async () => {
    expect(
      errorCodes(
        await graph.query('INAMI', CONFIGURE_TRIAL, {
          input: { procedure: 'BIG_STICK', maximalImbalance: 2, rationale: 'INAMI may not do this' },
        }),
      ),
    ).toContain('GRAPHQL_VALIDATION_FAILED');
  });
});
