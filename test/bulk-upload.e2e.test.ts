/**
 * Outcome data taken in bulk (DOMAIN.md "Measuring the trial"): the health insurer's monthly file of
 * benefits paid and INAMI's file of employment declared to social security, uploaded as CSV through the
 * gateway with the caller's own token, streamed to the subgraph that owns the rows. Each row is checked
 * (line, field, reason), only rows about people of the uploader's own circle are stored (ACTIONS, decided
 * for the whole file in SQL; R18: a person outside it is refused exactly like an unknown NISS), the batch
 * key makes a second upload of the same file store nothing, and declared employment reaches the trial's
 * outcome measures through the published view.
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Identity } from '../schema/identity.js';
import { MAX_UPLOAD_BYTES } from '../schema/uploads.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { makeNiss } from '../subgraphs/participants/services/niss.js';
import { newKey } from './fixtures.js';
import { startTestPlatform, type TestPlatform } from './harness.js';
import { seed, type RandomisedPerson, type RegisteredPerson } from './seed.js';

let graph: TestPlatform;
const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-bulk' };
const OTHER_PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-500', subject: 'dr-bulk-500' };
const OA: Identity = { role: 'OA', organisation: 'OA-300', subject: 'oa-bulk' };
const INAMI: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-bulk' };
const RESEARCHER: Identity = { role: 'RESEARCHER', organisation: 'ULB', subject: 'researcher-bulk' };

const TODAY = belgianToday();
const THIS_MONTH = TODAY.slice(0, 7);
const LAST_MONTH = belgianToday(new Date(Date.UTC(Number(TODAY.slice(0, 4)), Number(TODAY.slice(5, 7)) - 2, 15))).slice(
  0,
  7,
);
/** A valid NISS that no one in the platform has. */
const NOBODY = makeNiss('1990-01-01', 777);
/** The month `offset` months from this one, YYYY-MM. */
const month = (offset: number) =>
  belgianToday(new Date(Date.UTC(Number(TODAY.slice(0, 4)), Number(TODAY.slice(5, 7)) - 1 + offset, 15))).slice(0, 7);
const BENEFITS_HEADER = 'niss,month,benefit_type,amount_cents,days,partial_work_authorised';
const DECLARATIONS_HEADER = 'niss,month,employer_number,days,hours,wage_band,competitive';
const COLRUYT = '0203201340';

let a: RandomisedPerson; // OA-300's member, randomised
let b: RandomisedPerson; // OA-300's member, randomised, THIS_MONTH already stated one at a time
let c: RegisteredPerson; // OA-300's member, registered but not randomised: not an outcome subject
let d: RandomisedPerson; // OA-500's member: outside OA-300's circle

beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
  a = await seed(graph).person().referredBy(PHYSICIAN).registered({ convention: 'ARTICLE-23' }).randomised().build();
  b = await seed(graph).person().referredBy(PHYSICIAN).registered({ convention: 'ARTICLE-23' }).randomised().build();
  c = await seed(graph).person().referredBy(PHYSICIAN).registered({ convention: 'ARTICLE-23' }).build();
  d = await seed(graph)
    .person()
    .referredBy(OTHER_PHYSICIAN)
    .registered({ convention: 'ARTICLE-23' })
    .randomised()
    .build();
  const stated = await graph.query(
    OA,
    'mutation($input: RecordBenefitStatementInput!) { recordBenefitStatement(input: $input) { id } }',
    {
      input: {
        participantId: b.participantId,
        month: THIS_MONTH,
        benefitType: 'INVALIDITY',
        amountCents: 100_000,
        days: 20,
        partialWorkAuthorised: true,
      },
    },
  );
  expect(stated.errors).toBeUndefined();
}, 180_000);
afterAll(async () => {
  await graph?.stop();
});

interface Rejection {
  line: number;
  field: string | null;
  messageId: string;
  reason: string;
}
interface BatchAnswer {
  batch: {
    id: string;
    rows: number;
    applied: number;
    rejected: number;
    replayed: boolean;
    fingerprint: string;
    rejections: Rejection[];
  };
}
interface Answer {
  status: number;
  text: string;
  body: BatchAnswer & { errors?: { message: string; extensions: Record<string, unknown> }[] };
}

/** Nothing of the platform's insides in an answer: no stack, no SQL, no driver's words, no table. */
const INTERNALS =
  /\bat \S+ \(|stack|sqlstate|postgres|pg_|upload_staging|select |insert |syntax error at|constraint|billing\.|pathways\./i;

async function upload(
  as: Identity | null,
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${graph.platform.gateway.url}uploads/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'idempotency-key': newKey(),
      ...(as ? { authorization: `Bearer ${await graph.tokenFor(as)}` } : {}),
      ...headers,
    },
    body,
  });
  const text = await response.text();
  expect(text).not.toMatch(INTERNALS);
  return { status: response.status, text, body: JSON.parse(text) as Answer['body'] };
}

const statementsOf = async (participantId: string) =>
  graph.sql<{ month: string; amount_cents: number; batch_id: string | null }>(
    "select to_char(month, 'YYYY-MM') as month, amount_cents, batch_id from billing.benefit_statement where participant_id = $1 order by month",
    [participantId],
  );
const storedRows = async () =>
  Number(
    (
      await graph.sql<{ n: string }>(
        'select (select count(*) from billing.benefit_statement) + (select count(*) from pathways.employment_declaration) as n',
      )
    )[0]!.n,
  );
const batches = async () =>
  Number(
    (
      await graph.sql<{ n: string }>(
        'select (select count(*) from billing.upload_batch) + (select count(*) from pathways.upload_batch) as n',
      )
    )[0]!.n,
  );

describe("the health insurer's monthly file of benefits paid", () => {
  let file: string;
  let first: Answer;
  const key = newKey();

  beforeAll(async () => {
    file = [
      BENEFITS_HEADER,
      `${a.niss},${LAST_MONTH},INVALIDITY,120000,20,false`, // 2: stored
      `${b.niss},${LAST_MONTH},PRIMARY_INCAPACITY,90000,15,true`, // 3: stored
      `12345678901,${LAST_MONTH},INVALIDITY,1000,1,false`, // 4: bad NISS
      `${a.niss},2026-13,INVALIDITY,1000,1,false`, // 5: bad month
      `${a.niss},${THIS_MONTH},INVALIDITY,-5,1,false`, // 6: bad amount
      `${a.niss},${LAST_MONTH},INVALIDITY,120000,20,false`, // 7: the same person and month as line 2
      `${b.niss},${THIS_MONTH},INVALIDITY,100000,20,true`, // 8: month already stated (one at a time, before)
      `${d.niss},${LAST_MONTH},INVALIDITY,110000,20,false`, // 9: another health insurer's member
      `${NOBODY},${LAST_MONTH},INVALIDITY,110000,20,false`, // 10: no one's NISS
      `${c.niss},${LAST_MONTH},INVALIDITY,110000,20,false`, // 11: not randomised
      `${a.niss},${THIS_MONTH},INVALIDITY,125000,21,true`, // 12: stored
    ].join('\r\n');
    first = await upload(OA, 'benefit-statements', file, { 'idempotency-key': key });
  });

  it('stores the good rows and reports every other one by line, field and reason', async () => {
    expect(first.status).toBe(200);
    const { batch } = first.body;
    expect({ rows: batch.rows, applied: batch.applied, rejected: batch.rejected, replayed: batch.replayed }).toEqual({
      rows: 11,
      applied: 3,
      rejected: 8,
      replayed: false,
    });
    expect(batch.rejections.map(({ line, field, messageId }) => ({ line, field, messageId }))).toEqual([
      { line: 4, field: 'niss', messageId: 'niss.checkDigits' },
      { line: 5, field: 'month', messageId: 'input.month' },
      { line: 6, field: 'amount_cents', messageId: 'benefit.amount' },
      { line: 7, field: 'niss', messageId: 'upload.duplicateRow' },
      { line: 8, field: 'month', messageId: 'precondition.noStatementForMonth' },
      { line: 9, field: 'niss', messageId: 'upload.nissUnknown' },
      { line: 10, field: 'niss', messageId: 'upload.nissUnknown' },
      { line: 11, field: 'month', messageId: 'upload.notFollowed' },
    ]);
    expect(batch.rejections.find((r) => r.line === 7)!.reason).toContain('line 2');
    expect(batch.rejections.every((r) => r.reason.length > 0)).toBe(true);
    expect(
      (await statementsOf(a.participantId)).map(({ month, amount_cents, batch_id }) => [month, amount_cents, batch_id]),
    ).toEqual([
      [LAST_MONTH, 120_000, batch.id],
      [THIS_MONTH, 125_000, batch.id],
    ]);
    // The month stated one at a time stays as it was: a file never overwrites.
    expect((await statementsOf(b.participantId)).map(({ month, amount_cents }) => [month, amount_cents])).toEqual([
      [LAST_MONTH, 90_000],
      [THIS_MONTH, 100_000],
    ]);
  });

  it("stores nothing about a person outside the uploader's circle, and tells them apart from no one (R18)", async () => {
    expect(await statementsOf(d.participantId)).toEqual([]);
    expect(await statementsOf(c.participantId)).toEqual([]);
    const outside = first.body.batch.rejections.find((r) => r.line === 9)!;
    const nobody = first.body.batch.rejections.find((r) => r.line === 10)!;
    expect({ ...outside, line: 0 }).toEqual({ ...nobody, line: 0 });
  });

  it('stores nothing twice: the same file with the same key answers the stored report', async () => {
    const before = await storedRows();
    const again = await upload(OA, 'benefit-statements', file, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.body.batch).toEqual({ ...first.body.batch, replayed: true });
    expect(await storedRows()).toBe(before);
    // The same key with other bytes is a reuse of the key, not a retry.
    const other = await upload(OA, 'benefit-statements', `${file}\r\n`, { 'idempotency-key': key });
    expect(other.status).toBe(409);
    expect(other.body.errors?.[0]?.extensions.code).toBe('CONFLICT');
    // A new batch of the same rows stores nothing new either: every month is already stated.
    const newBatch = await upload(OA, 'benefit-statements', file);
    expect({ applied: newBatch.body.batch.applied, rejected: newBatch.body.batch.rejected }).toEqual({
      applied: 0,
      rejected: 11,
    });
    expect(await storedRows()).toBe(before);
  });

  it('applies a file once when two uploads of one key race: the other answers the stored report or CONFLICT', async () => {
    const month = belgianToday(new Date(Date.UTC(Number(TODAY.slice(0, 4)), Number(TODAY.slice(5, 7)) - 3, 15))).slice(
      0,
      7,
    );
    const racing = `${BENEFITS_HEADER}\n${a.niss},${month},INVALIDITY,1000,1,false\n${b.niss},${month},INVALIDITY,1000,1,false\n`;
    const sameKey = newKey();
    const answers = await Promise.all(
      [0, 1].map(() => upload(OA, 'benefit-statements', racing, { 'idempotency-key': sameKey })),
    );
    const applied = answers.filter((answer) => answer.status === 200 && !answer.body.batch.replayed);
    expect(applied).toHaveLength(1);
    expect(applied[0]!.body.batch.applied).toBe(2);
    for (const answer of answers.filter((x) => x !== applied[0])) {
      if (answer.status === 200) expect(answer.body.batch).toEqual({ ...applied[0]!.body.batch, replayed: true });
      else expect(answer.body.errors?.[0]?.extensions.code).toBe('CONFLICT');
    }
    const stored = await graph.sql<{ n: string }>(
      "select count(*) as n from billing.benefit_statement where to_char(month, 'YYYY-MM') = $1",
      [month],
    );
    expect(Number(stored[0]!.n)).toBe(2);
  });

  it('decides a file on the ledger as a concurrent command left it: a research consent withdrawn while the file waits is seen (R1f)', async () => {
    const e = await seed(graph)
      .person()
      .referredBy(PHYSICIAN)
      .registered({ convention: 'ARTICLE-23' })
      .randomised()
      .build();
    const owner = await graph.ownerConnection();
    let answer: Promise<Answer> | undefined;
    try {
      // A command holds the person's ledger row (as runCommand locks it) while the file arrives…
      await owner.query('begin');
      await owner.query('select 1 from access.ledger where participant_id = $1 for update', [e.participantId]);
      answer = upload(
        OA,
        'benefit-statements',
        `${BENEFITS_HEADER}\n${e.niss},${LAST_MONTH},INVALIDITY,1000,1,false\n${a.niss},${month(-4)},INVALIDITY,1000,1,false\n`,
      );
      // …and the file waits for it, before deciding anything.
      const waits = async () =>
        Number(
          (
            await graph.sql<{ n: string }>(
              "select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%access.ledger%for share%'",
            )
          )[0]!.n,
        );
      for (let i = 0; i < 200 && (await waits()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await waits()).toBe(1);
      // The command ends the person's follow-up (their research consent withdrawn) and commits.
      await owner.query('update access.ledger set research_consent = false where participant_id = $1', [
        e.participantId,
      ]);
      await owner.query('commit');
    } finally {
      owner.release();
    }
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(body.batch.rejections.map(({ line, field, messageId }) => ({ line, field, messageId }))).toEqual([
      { line: 2, field: 'month', messageId: 'upload.notFollowed' },
    ]);
    expect(await statementsOf(e.participantId)).toEqual([]);
  });

  it("tells each reason in the caller's language, its messageId unchanged", async () => {
    const french = await upload(
      OA,
      'benefit-statements',
      `${BENEFITS_HEADER}\n${a.niss},2020-01,INVALIDITY,-1,1,false\n`,
      { 'accept-language': 'fr-BE' },
    );
    expect(french.body.batch.rejections).toEqual([
      {
        line: 2,
        field: 'amount_cents',
        messageId: 'benefit.amount',
        reason: 'doit être un nombre entier de centimes d’euro de 0 à 1000000',
      },
    ]);
  });

  it('refuses the wrong role (403 FORBIDDEN), no token (401), no batch key, another content type, a file not UTF-8, a wrong header and an oversized file (4xx), storing nothing', async () => {
    const before = { rows: await storedRows(), batches: await batches() };
    const line = `${a.niss},2020-01,INVALIDITY,1000,1,false`;
    const wrongRole = await upload(INAMI, 'benefit-statements', `${BENEFITS_HEADER}\n${line}\n`);
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const researcher = await upload(RESEARCHER, 'employment-declarations', `${DECLARATIONS_HEADER}\n`);
    expect([researcher.status, researcher.body.errors?.[0]?.extensions.code]).toEqual([403, 'FORBIDDEN']);
    const anonymous = await upload(null, 'benefit-statements', `${BENEFITS_HEADER}\n${line}\n`);
    expect([anonymous.status, anonymous.body.errors?.[0]?.extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    const noKey = await upload(OA, 'benefit-statements', `${BENEFITS_HEADER}\n${line}\n`, { 'idempotency-key': '' });
    expect([noKey.status, noKey.body.errors?.[0]?.extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
    const json = await upload(OA, 'benefit-statements', JSON.stringify({ rows: [line] }), {
      'content-type': 'application/json',
    });
    expect([json.status, json.body.errors?.[0]?.extensions.code]).toEqual([415, 'BAD_REQUEST']);
    const latin1 = await upload(
      OA,
      'benefit-statements',
      Buffer.concat([Buffer.from(`${BENEFITS_HEADER}\n${line}\n`), Buffer.from([0xe9, 0x0a])]),
    );
    expect([latin1.status, latin1.body.errors?.[0]?.extensions.messageId]).toEqual([400, 'upload.notUtf8']);
    // Refused at its first bytes, a large file is still answered (read to its end, not cut off).
    const large = Buffer.concat([
      Buffer.from([0xff]),
      Buffer.from(`${BENEFITS_HEADER}\n${`${line}\n`.repeat(60_000)}`),
    ]);
    const latin1Large = await upload(OA, 'benefit-statements', large);
    expect([latin1Large.status, latin1Large.body.errors?.[0]?.extensions.messageId]).toEqual([400, 'upload.notUtf8']);
    const header = await upload(OA, 'benefit-statements', `niss;month\n${line}\n`);
    expect([header.status, header.body.errors?.[0]?.extensions.messageId]).toEqual([400, 'upload.header']);
    const quote = await upload(OA, 'benefit-statements', `${BENEFITS_HEADER}\n"${line}\n`);
    expect([quote.status, quote.body.errors?.[0]?.extensions.messageId]).toEqual([400, 'upload.notCsv']);
    const unknown = await upload(OA, 'benefit-statement', `${BENEFITS_HEADER}\n`);
    expect([unknown.status, unknown.body.errors?.[0]?.extensions.code]).toEqual([404, 'NOT_FOUND']);
    expect(await oversized()).toMatchObject({ status: 413, code: 'BAD_REQUEST' });
    // The subgraph itself takes a file only with a gateway's token: the caller's own is not one.
    const billing = graph.platform.subgraphs.find((subgraph) => subgraph.name === 'billing')!;
    const direct = await fetch(`${billing.url}uploads/benefit-statements`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await graph.tokenFor(OA)}`,
        'content-type': 'text/csv',
        'idempotency-key': newKey(),
      },
      body: `${BENEFITS_HEADER}\n${line}\n`,
    });
    expect([
      direct.status,
      ((await direct.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
    ]).toEqual([401, 'UNAUTHENTICATED']);
    expect({ rows: await storedRows(), batches: await batches() }).toEqual(before);
  });
});

/** A body announced over the limit: refused on its Content-Length, before it is read. */
async function oversized(): Promise<{ status: number; code: unknown }> {
  const url = new URL(`${graph.platform.gateway.url}uploads/benefit-statements`);
  const token = await graph.tokenFor(OA);
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'text/csv',
        'idempotency-key': newKey(),
        'content-length': String(MAX_UPLOAD_BYTES + 1),
      },
    });
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        request.destroy();
        expect(text).not.toMatch(INTERNALS);
        resolve({
          status: response.statusCode ?? 0,
          code: (JSON.parse(text) as { errors: { extensions: { code: unknown } }[] }).errors[0]!.extensions.code,
        });
      });
    });
    request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
    request.write(`${BENEFITS_HEADER}\n`);
  });
}

describe('the NISS → person mapping, in the database', () => {
  it("answers the billing role for one health insurer's members only, as for a number no one has, and no other role at all", async () => {
    const asked = [a.niss, d.niss, NOBODY];
    const mapped = async (insurer: string) =>
      (
        await graph.roleSql<{ participant_id: string }>(
          'billing',
          'select participant_id from billing.outcome_subjects($1, $2) order by 1',
          [asked, insurer],
        )
      ).map((row) => row.participant_id);
    expect(await mapped('OA-300')).toEqual([a.participantId]);
    expect(await mapped('OA-500')).toEqual([d.participantId]);
    expect(await mapped('OA-100')).toEqual([]);
    await expect(
      graph.roleSql('research', 'select * from billing.outcome_subjects($1, $2)', [asked, 'OA-300']),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      graph.roleSql('research', 'select * from pathways.outcome_subjects($1)', [asked]),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      graph.roleSql('billing', 'select * from pathways.outcome_subjects($1)', [asked]),
    ).rejects.toMatchObject({ code: '42501' });
  });
});

describe("INAMI's monthly file of employment declared to social security", () => {
  const OUTCOMES = `query($from: String!, $to: String!) { trialOutcomes(from: $from, to: $to) { arms { arm workingWhileOnBenefit { numerator } } } }`;
  const working = async () => {
    const response = await graph.query<{
      trialOutcomes: { arms: { arm: string; workingWhileOnBenefit: { numerator: number } }[] };
    }>(RESEARCHER, OUTCOMES, { from: THIS_MONTH, to: THIS_MONTH });
    expect(response.errors).toBeUndefined();
    return Object.fromEntries(
      response.data!.trialOutcomes.arms.map((arm) => [arm.arm, arm.workingWhileOnBenefit.numerator]),
    );
  };

  it('stores the declared months of randomised people and publishes each as an employment episode spanning the month, which the outcome measures count', async () => {
    const before = await working();
    const answer = await upload(
      INAMI,
      'employment-declarations',
      [
        DECLARATIONS_HEADER,
        `${b.niss},${THIS_MONTH},${COLRUYT},,86.5,MINIMUM_TO_MEDIAN,true`, // 2: stored (B's month is stated with work authorised)
        `${d.niss},${LAST_MONTH},${COLRUYT},12,,ABOVE_MEDIAN,false`, // 3: stored (INAMI's registry holds every person)
        `${c.niss},${LAST_MONTH},${COLRUYT},12,,ABOVE_MEDIAN,false`, // 4: not randomised
        `${NOBODY},${LAST_MONTH},${COLRUYT},12,,ABOVE_MEDIAN,false`, // 5: no one's NISS
        `${a.niss},${LAST_MONTH},0203201341,12,,ABOVE_MEDIAN,false`, // 6: not an enterprise number
        `${a.niss},${LAST_MONTH},${COLRUYT},12,40,ABOVE_MEDIAN,false`, // 7: days and hours
        `${a.niss},${LAST_MONTH},${COLRUYT},12,,TOP,false`, // 8: no such wage band
        `${b.niss},${THIS_MONTH},${COLRUYT},,80,MINIMUM_TO_MEDIAN,true`, // 9: the same person, month and employer as line 2
      ].join('\n'),
    );
    expect(answer.status).toBe(200);
    expect({ rows: answer.body.batch.rows, applied: answer.body.batch.applied }).toEqual({ rows: 8, applied: 2 });
    expect(answer.body.batch.rejections.map(({ line, field, messageId }) => ({ line, field, messageId }))).toEqual([
      { line: 4, field: 'month', messageId: 'upload.notFollowed' },
      { line: 5, field: 'niss', messageId: 'upload.nissUnknown' },
      { line: 6, field: 'employer_number', messageId: 'contract.employerNumber' },
      { line: 7, field: 'hours', messageId: 'upload.daysOrHours' },
      { line: 8, field: 'wage_band', messageId: 'upload.oneOf' },
      { line: 9, field: 'niss', messageId: 'upload.duplicateRow' },
    ]);
    const [episode] = await graph.sql<{
      pathway_id: string | null;
      starts_on: string;
      ends_on: string;
      weekly_hours: number;
      contract_type: string;
      competitive: boolean;
    }>(
      "select pathway_id, to_char(starts_on, 'YYYY-MM-DD') as starts_on, to_char(ends_on, 'YYYY-MM-DD') as ends_on, weekly_hours, contract_type, competitive from pathways.published_employment_episode where participant_id = $1 and contract_type = 'DECLARED'",
      [b.participantId],
    );
    const days = new Date(Date.UTC(Number(THIS_MONTH.slice(0, 4)), Number(THIS_MONTH.slice(5, 7)), 0)).getUTCDate();
    expect(episode).toEqual({
      pathway_id: null,
      starts_on: `${THIS_MONTH}-01`,
      ends_on: `${THIS_MONTH}-${days}`,
      weekly_hours: (86.5 * 7) / days,
      contract_type: 'DECLARED',
      competitive: true,
    });
    // B's month: the statement authorises partial work and a declared job ran — one more person-month working while on benefit in B's arm.
    const after = await working();
    expect(after[b.arm]).toBe((before[b.arm] ?? 0) + 1);

    // And the researcher's extract (R19) has B's declared hours and the month worked on benefit. An extract holds at
    // least k people (schema/policy.ts EXTRACT_DISCLOSURE): a few more randomised people make it one.
    for (let i = 0; i < 3; i++)
      await seed(graph).person().referredBy(PHYSICIAN).registered({ convention: 'ARTICLE-23' }).randomised().build();
    await graph.query(
      { role: 'INAMI', organisation: 'INAMI', subject: 'inami-directory-admin' },
      'mutation($input: EnrolStaffMemberInput!) { enrolStaffMember(input: $input) { id } }',
      {
        input: { subject: INAMI.subject, function: 'INAMI_AGENT', displayName: 'INAMI bulk' },
      },
    );
    const filed = await graph.query<{ fileDataRequest: { id: string } }>(
      RESEARCHER,
      'mutation($input: FileDataRequestInput!) { fileDataRequest(input: $input) { id } }',
      {
        input: {
          project: 'BULK-UPLOAD',
          purpose: 'Declared employment in the outcome measures.',
          purposeCategory: 'EMPLOYMENT',
          variables: ['month_since_randomisation', 'weekly_hours', 'working_on_benefit'],
        },
      },
    );
    const requestId = filed.data!.fileDataRequest.id;
    const decided = await graph.query(
      INAMI,
      'mutation($input: DecideDataRequestInput!) { decideDataRequest(input: $input) { id } }',
      { input: { requestId, decision: 'APPROVE', reason: 'Protocol v1.' } },
    );
    expect(decided.errors).toBeUndefined();
    const csv = await (
      await fetch(`${graph.platform.gateway.url}datasets/${requestId}.csv`, {
        headers: { authorization: `Bearer ${await graph.tokenFor(RESEARCHER)}` },
      })
    ).text();
    const [key] = await graph.sql<{ key: Buffer }>('select key from pseudonym_vault.project_key where project = $1', [
      'BULK-UPLOAD',
    ]);
    const pseudonym = createHmac('sha256', key!.key).update(b.niss, 'utf8').digest('hex');
    const [header, ...lines] = csv
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const rowOfB = lines
      .map((line) => Object.fromEntries(header!.map((name, i) => [name, line[i]])))
      .find((row) => row.pseudonym === pseudonym && row.month_since_randomisation === '0'); // B was randomised this month
    expect(rowOfB).toMatchObject({ working_on_benefit: 'true' });
    expect(Number(rowOfB!.weekly_hours)).toBeCloseTo((86.5 * 7) / days, 6);
  });

  it("is INAMI's alone: the health insurer is refused (403)", async () => {
    const refused = await upload(
      OA,
      'employment-declarations',
      `${DECLARATIONS_HEADER}\n${a.niss},${LAST_MONTH},${COLRUYT},12,,ABOVE_MEDIAN,false\n`,
    );
    expect([refused.status, refused.body.errors?.[0]?.extensions.code]).toEqual([403, 'FORBIDDEN']);
  });
});
