/**
 * The demo's conventions as INAMI's finance officer reads them (`npm start`'s data, R17): the terms
 * marked illustrative, each partner's pathways against its capacity, and this month's staffing
 * against the convention — the staff directory lists 6 coaches at Article 23 against the 5 its
 * convention funds, and the answer says so.
 */
import { startTestPlatform, type TestPlatform } from './harness.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform({ seedDemo: true });
}, 600_000);
afterAll(async () => {
  await graph?.stop();
});

interface Row {
  code: string;
  terms: {
    version: number;
    partnerPathways: number;
    coachFteHundredths: number;
    supervisorFteHundredths: number;
    fundedStaffingMonthCents: number;
    illustrative: boolean;
  };
  capacity: {
    capacity: number;
    counted: number;
    activeIps: number;
    awaitingRandomisation: number;
    registered: number;
    state: string;
    warning: string | null;
  };
  staffing: {
    month: string;
    coachFteHundredths: number;
    supervisorFteHundredths: number;
    coachDifferenceHundredths: number;
    supervisorDifferenceHundredths: number;
    state: string;
  }[];
}

it("shows each partner's capacity and this month's staffing against its convention: Article 23 has 6 coaches against 5", async () => {
  const { data, errors } = await graph.query<{ conventions: Row[] }>(
    'INAMI',
    `{ conventions { code terms { version partnerPathways coachFteHundredths supervisorFteHundredths fundedStaffingMonthCents illustrative }
       capacity { capacity counted activeIps awaitingRandomisation registered state warning }
       staffing { month coachFteHundredths supervisorFteHundredths coachDifferenceHundredths supervisorDifferenceHundredths state } } }`,
  );
  expect(errors).toBeUndefined();
  const hundredths = (n: number) => (n / 100).toFixed(2);
  for (const c of data!.conventions) {
    const [month] = c.staffing;
    console.log(
      `${c.code.padEnd(12)} capacity ${c.capacity.counted}/${c.capacity.capacity} (${c.capacity.activeIps} IPS open + ${c.capacity.awaitingRandomisation} awaiting randomisation; ${c.capacity.registered} registered ever) ${c.capacity.state}${c.capacity.warning ? ` — ${c.capacity.warning}` : ''}\n` +
        `             staffing ${month!.month}: coaches ${hundredths(month!.coachFteHundredths)} FTE vs ${hundredths(c.terms.coachFteHundredths)} (${month!.coachDifferenceHundredths >= 0 ? '+' : ''}${hundredths(month!.coachDifferenceHundredths)}), ` +
        `supervisors ${hundredths(month!.supervisorFteHundredths)} vs ${hundredths(c.terms.supervisorFteHundredths)} (${month!.supervisorDifferenceHundredths >= 0 ? '+' : ''}${hundredths(month!.supervisorDifferenceHundredths)}) ${month!.state}; ` +
        `funded staffing ${(c.terms.fundedStaffingMonthCents / 100).toFixed(2)} €/month${c.terms.illustrative ? ' (illustrative)' : ''}`,
    );
  }
  const article23 = data!.conventions.find((c) => c.code === 'ARTICLE-23')!;
  expect(article23.terms).toMatchObject({ coachFteHundredths: 500, illustrative: true });
  expect(article23.staffing[0]).toMatchObject({ coachFteHundredths: 600, coachDifferenceHundredths: 100 });
  expect(['ABOVE', 'MIXED']).toContain(article23.staffing[0]!.state);
  for (const c of data!.conventions)
    expect(c.capacity.counted).toBe(c.capacity.activeIps + c.capacity.awaitingRandomisation);
}, 120_000);
