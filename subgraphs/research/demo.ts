/**
 * Demo data: the trial's design (permuted blocks of random size, stratified by region)
 * and the randomisation of most registered people, drawn by the real allocation vault.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { writeLedgerFacts } from '../kit/access/ledger.js';
import { SqlStatementCounter } from '../kit/orm.js';
import { AllocationEntity } from './entities/allocation.entity.js';
import { STRATA } from './services/randomisation.service.js';

export async function seedResearchDemo(orm: MikroORM, share = 0.9): Promise<number> {
  const em = orm.em.fork();
  if ((await em.count(AllocationEntity)) > 0) return 0;
  const [{ designs }] = (await em.execute<{ designs: string }[]>('select count(*) as designs from allocation_vault.configurations()')) as [{ designs: string }];
  if (Number(designs) === 0) {
    await em.execute('select allocation_vault.configure(?, ?::int[], ?, ?::text[], ?, ?)', [
      'PERMUTED_BLOCKS',
      '{2,4,6}',
      null,
      `{${STRATA.join(',')}}`,
      'Protocol v1 (demo): 1:1, permuted blocks of random size {2, 4, 6}, stratified by region.',
      'ulb-demo',
    ]);
  }
  const registered = await em.execute<{ participant_id: string; region: string }[]>(
    `select p.participant_id, r.region from pathways.published_pathway p join participants.published_referral r on r.referral_id = p.referral_id
     where p.status = 'OPEN' order by p.registered_at, p.pathway_id`,
  );
  const chosen = registered.filter((_, index) => index % 10 < share * 10);
  const runner = { em, sqlCounter: new SqlStatementCounter() };
  for (const person of chosen) {
    const [drawn] = await em.execute<{ arm: string }[]>('select arm from allocation_vault.allocate(?, ?, ?, ?, ?, ?)', [
      person.participant_id,
      person.region,
      person.region,
      'inami-demo',
      `demo-${person.participant_id}`,
      'demo',
    ]);
    await writeLedgerFacts(runner, 'research', person.participant_id, { trialArm: drawn!.arm });
  }
  return chosen.length;
}
