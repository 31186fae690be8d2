/**
 * Conventions right (R3, R17): each convention shows its own partner's share of
 * its region's pathways, and a Walloon person goes to Liège (Article 23) or Charleroi (ISPPC) by
 * their postcode — a Charleroi person (6000) is never registered under the Liège convention.
 */
import { CONVENTION_IDS, newKey, REGISTER_PATHWAY } from './fixtures.js';
import { startTestPlatform, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
});
afterAll(async () => {
  await graph?.stop();
});

const CONVENTIONS =
  '{ conventions { code region regionalPathways partnerPathways catchment { postcodeFrom postcodeTo area } } }';
type Row = {
  code: string;
  region: string;
  regionalPathways: number;
  partnerPathways: number;
  catchment: { postcodeFrom: number; postcodeTo: number }[];
};

describe("each partner's share", () => {
  it('sums to each region’s pathways and to the pilot’s 600, Wallonia 200 (not 400)', async () => {
    const { data, errors } = await graph.query<{ conventions: Row[] }>('INAMI', CONVENTIONS);
    expect(errors).toBeUndefined();
    const share = (region: string) =>
      data!.conventions.filter((c) => c.region === region).reduce((sum, c) => sum + c.partnerPathways, 0);
    expect({ FLANDERS: share('FLANDERS'), WALLONIA: share('WALLONIA'), BRUSSELS: share('BRUSSELS') }).toEqual({
      FLANDERS: 340,
      WALLONIA: 200,
      BRUSSELS: 60,
    });
    expect(data!.conventions.reduce((sum, c) => sum + c.partnerPathways, 0)).toBe(600);
    expect(Object.fromEntries(data!.conventions.map((c) => [c.code, c.partnerPathways]))).toEqual({
      'VDAB-GTB': 340,
      'ARTICLE-23': 100,
      ISPPC: 100,
      'EQUIPE-MASS': 60,
    });
    // Every region's total is the same on each of its conventions: the share is what adds up.
    for (const convention of data!.conventions)
      expect(convention.partnerPathways).toBeLessThanOrEqual(convention.regionalPathways);
  });

  it('publishes the catchment of each convention: Liège 4000–4999, Charleroi and Thuin 6000–6599, no overlap (database constraint)', async () => {
    const { data } = await graph.query<{ conventions: Row[] }>('SRE', CONVENTIONS);
    const byCode = Object.fromEntries(
      data!.conventions.map((c) => [c.code, c.catchment.map((k) => [k.postcodeFrom, k.postcodeTo])]),
    );
    expect(byCode).toEqual({
      'VDAB-GTB': [
        [1500, 3999],
        [8000, 9999],
      ],
      'ARTICLE-23': [[4000, 4999]],
      ISPPC: [[6000, 6599]],
      'EQUIPE-MASS': [[1000, 1299]],
    });
    await expect(
      graph.sql(
        `insert into billing.convention_catchment (id, convention_id, postcode_from, postcode_to, area) values (gen_random_uuid(), $1, 4500, 4600, 'overlap')`,
        [CONVENTION_IDS.ISPPC],
      ),
    ).rejects.toThrow(/convention_catchment_no_overlap/);
  });
});

it('reads the catchments of 1 or 4 conventions in the same number of SQL statements (one batch)', async () => {
  const statements = async (query: string) => (await graph.query('INAMI', query)).extensions!.sqlStatements as number;
  const one = await statements('{ conventions(region: BRUSSELS) { code catchment { postcodeFrom } } }');
  const four = await statements('{ conventions { code catchment { postcodeFrom } } }');
  console.log(`Conventions with catchments, SQL statements: 1 convention → ${one}, 4 conventions → ${four}`);
  expect(four).toBe(one);
});

describe('the convention of a Walloon person', () => {
  const referred = async (postcode: string) => seed(graph).person({ postcode, region: 'WALLONIA' }).build();

  it('refuses to register a Charleroi person (6000) under the Liège convention, naming the field, and writes nothing', async () => {
    const person = await referred('6000');
    const refused = await graph.query('INAMI', REGISTER_PATHWAY, {
      input: { referralId: person.referralId, conventionId: CONVENTION_IDS['ARTICLE-23'] },
      key: newKey(),
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.conventionId',
      messageId: 'convention.otherCatchment',
    });
    expect(refused.errors?.[0]?.message).toBe(
      "input.conventionId: the person's postcode 6000 lies in the catchment of ISPPC, not of ARTICLE-23",
    );
    expect(await graph.sql('select 1 from pathways.pathway where referral_id = $1', [person.referralId])).toHaveLength(
      0,
    );
    const registered = await graph.query<{ registerPathway: { pathway: { convention: { code: string } } } }>(
      'INAMI',
      REGISTER_PATHWAY,
      { input: { referralId: person.referralId, conventionId: CONVENTION_IDS.ISPPC }, key: newKey() },
    );
    expect(registered.data?.registerPathway.pathway.convention.code).toBe('ISPPC');
  });

  it('refuses a Liège person (4020) under the Charleroi convention', async () => {
    const person = await referred('4020');
    const refused = await graph.query('INAMI', REGISTER_PATHWAY, {
      input: { referralId: person.referralId, conventionId: CONVENTION_IDS.ISPPC },
      key: newKey(),
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.conventionId' });
  });

  it.each([
    ['6000', 'ISPPC'], // Charleroi
    ['6530', 'ISPPC'], // Thuin
    ['4000', 'ARTICLE-23'], // Liège
    ['4800', 'ARTICLE-23'], // Verviers
  ])('derives the convention from the postcode %s when INAMI names none: %s', async (postcode, code) => {
    const person = await referred(postcode);
    const registered = await graph.query<{ registerPathway: { pathway: { convention: { code: string } } } }>(
      'INAMI',
      REGISTER_PATHWAY,
      { input: { referralId: person.referralId }, key: newKey() },
    );
    expect(registered.errors).toBeUndefined();
    expect(registered.data!.registerPathway.pathway.convention.code).toBe(code);
  });

  it('registers no one whose postcode no convention of the pilot serves (Namur, 5000): BAD_USER_INPUT naming the referral', async () => {
    const person = await referred('5000');
    const refused = await graph.query('INAMI', REGISTER_PATHWAY, {
      input: { referralId: person.referralId },
      key: newKey(),
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.referralId',
      messageId: 'convention.noCatchment',
    });
    expect(await graph.sql('select 1 from pathways.pathway where referral_id = $1', [person.referralId])).toHaveLength(
      0,
    );
  });
});
