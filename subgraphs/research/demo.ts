/**
 * Demo data: the trial's design (permuted blocks of random size, stratified by region), the
 * randomisation of every registered person at their registration, drawn by the real allocation
 * vault, and their questionnaire waves since.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ledgerColumn } from '../kit/access/decide.js';
import { belgianToday } from '../kit/domain.js';
import type { DemoLoad } from '../kit/subgraph.js';
import { seedQuestionnaireDemo } from './demo-questionnaire.js';
import { AllocationEntity } from './entities/allocation.entity.js';
import { FIDELITY_ITEMS } from './services/fidelity-scale.js';
import { STRATA } from './services/randomisation.service.js';

/** Demo IPS-25 reviews: two per team a year apart, by a researcher and an INAMI agent, each total's scores spread item by item. */
const DEMO_REVIEWS: readonly [team: string, reviewedOn: string, total: number][] = [
  ['VDAB-GTB', '2019-03-12', 96],
  ['VDAB-GTB', '2020-03-10', 108],
  ['ARTICLE-23', '2019-04-02', 88],
  ['ARTICLE-23', '2020-04-07', 101],
  ['ISPPC', '2019-04-04', 71],
  ['ISPPC', '2020-04-09', 92],
  ['EQUIPE-MASS', '2019-05-14', 99],
  ['EQUIPE-MASS', '2020-05-12', 116],
];

async function seedFidelityDemo(em: ReturnType<MikroORM['em']['fork']>): Promise<void> {
  const [{ reviews }] = (await em.execute<{ reviews: string }[]>(
    'select count(*) as reviews from research.fidelity_review',
  )) as [{ reviews: string }];
  if (Number(reviews) > 0) return;
  for (const [index, [team, reviewedOn, total]] of DEMO_REVIEWS.entries()) {
    let extra = total - FIDELITY_ITEMS.length;
    const scores = Object.fromEntries(
      FIDELITY_ITEMS.map((item) => {
        const add = Math.min(4, extra);
        extra -= add;
        return [item.key, 1 + add];
      }),
    );
    await em.execute(
      `insert into research.fidelity_review (id, team, reviewed_on, first_reviewer, second_reviewer, scores, total, action_plan, action_plan_category,
         recorded_by, recorded_at, idempotency_key, requested_by, request_fingerprint) values (gen_random_uuid(), ?, ?, ?, ?, ?::jsonb, ?, ?, 'employment', ?, now(), ?, 'demo', 'demo')`,
      [
        team,
        reviewedOn,
        'ulb-demo',
        'inami-demo',
        JSON.stringify(scores),
        total,
        'Demo action plan: more employer contacts each week; benefits counselling for every new participant.',
        'ulb-demo',
        `demo-fidelity-${index}`,
      ],
    );
  }
}

export async function seedResearchDemo(orm: MikroORM, demo: DemoLoad): Promise<number> {
  const em = orm.em.fork();
  await seedFidelityDemo(em);
  const allocated = await seedAllocationsDemo(em, demo);
  await seedQuestionnaireDemo(em); // R12: the waves of the people just allocated, from their randomisation to today
  return allocated;
}

/**
 * The trial's design, approved a month before the first registration, then every registered person
 * randomised by the vault at the moment of their registration (R5, R6), in the order they were
 * registered: the draws are the vault's own (allocation_vault.draw, concealed, hash-chained), only
 * their time is the registration's (allocate_demo_history: the owner role's, in a database marked for
 * demo data only). The arm goes into the access ledger as randomisePerson writes it.
 */
async function seedAllocationsDemo(em: ReturnType<MikroORM['em']['fork']>, demo: DemoLoad): Promise<number> {
  if ((await em.count(AllocationEntity)) > 0) return 0;
  const registered = await em.execute<{ participant_id: string; region: string; allocated_at: string }[]>(
    `select p.participant_id, r.region, to_char((p.registered_at + interval '5 minutes') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as allocated_at
     from pathways.published_pathway p join participants.published_referral r on r.referral_id = p.referral_id
     order by p.registered_at, p.participant_id`,
  );
  if (registered.length === 0) return 0;
  const [{ designs }] = (await em.execute<{ designs: string }[]>(
    'select count(*) as designs from allocation_vault.configurations()',
  )) as [{ designs: string }];
  if (Number(designs) === 0) {
    // Its proposal, approved by a second researcher, put live by the vault (R6, CONSORT 8b/9: four eyes on every design).
    const [proposal] = await em.execute<{ id: string }[]>(
      `insert into research.trial_design_proposal (id, procedure, block_sizes, maximal_imbalance, strata, rationale, proposed_by, proposed_by_organisation, proposed_at,
         approved_by, approved_by_organisation, approved_at, idempotency_key, requested_by, request_fingerprint)
       values (gen_random_uuid(), 'PERMUTED_BLOCKS', '{2,4,6}', null, ?::text[], ?, 'ulb-demo', 'ULB', ?::timestamptz - interval '40 days',
         'ulb-demo-2', 'ULB', ?::timestamptz - interval '30 days', 'demo-design-1', 'demo', 'demo') returning id`,
      [
        `{${STRATA.join(',')}}`,
        'Protocol v1 (demo): 1:1, permuted blocks of random size {2, 4, 6}, stratified by region.',
        registered[0]!.allocated_at,
        registered[0]!.allocated_at,
      ],
    );
    await em.execute('select allocation_vault.configure(?::uuid)', [proposal!.id]);
  }
  const owner = new pg.Client({ connectionString: demo.ownerUrl });
  await owner.connect();
  const drawn = await owner
    .query<{ participant_id: string; arm: string }>(
      'select participant_id, arm from allocation_vault.allocate_demo_history($1::uuid[], $2::text[], $3::timestamptz[], $4)',
      [
        registered.map((person) => person.participant_id),
        registered.map((person) => person.region),
        registered.map((person) => person.allocated_at),
        'inami-demo',
      ],
    )
    .finally(() => owner.end());
  // The arm and the day of randomisation in the ledger, as randomisePerson writes them (LEDGER_FACTS: trialArm, randomisedOn), for everyone at once.
  const [arm, randomisedOn] = [ledgerColumn('trialArm'), ledgerColumn('randomisedOn')];
  const allocatedAt = new Map(registered.map((person) => [person.participant_id, person.allocated_at]));
  const facts = drawn.rows.map((person) => ({
    participant_id: person.participant_id,
    arm: person.arm,
    randomised_on: belgianToday(new Date(allocatedAt.get(person.participant_id)!)),
  }));
  await em.execute(
    `insert into access.ledger (participant_id, ${arm}, ${randomisedOn}) select x.participant_id, x.arm, x.randomised_on from jsonb_to_recordset(?::jsonb) as x(participant_id uuid, arm text, randomised_on date)
     on conflict (participant_id) do update set ${arm} = excluded.${arm}, ${randomisedOn} = excluded.${randomisedOn}, updated_at = now()`,
    [JSON.stringify(facts)],
  );
  return drawn.rows.length;
}
