/**
 * The research subgraph's published snapshots, defined when it loads so that its worker
 * (kit/data-version.ts startSnapshotWorker) computes every one at start, before any request asks:
 * each measure's national table, suppressed and exact (the readers of exact counts, COUNT_READERS),
 * the coaches' caseloads, the teams' fidelity, and the CONSORT flows (suppressed, and with the cell key method's noise). Each key and
 * computation is the one its service asks `aggregateSnapshots(...).get` for.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { DISCLOSURE_CONTROL } from '../../../schema/policy.js';
import { defineSnapshot, startSnapshotWorker } from '../../kit/data-version.js';
import { ConsortService } from './consort.service.js';
import { AggregateMeasureValue, PilotAggregatesService } from './pilot-aggregates.service.js';

for (const measure of Object.values(AggregateMeasureValue)) {
  defineSnapshot(`table:${measure}`, (tx) => new PilotAggregatesService(tx).nationalTable(measure, false));
  defineSnapshot(`table:${measure}:exact`, (tx) => new PilotAggregatesService(tx).nationalTable(measure, true));
}
defineSnapshot('coachCaseloads', (tx) => new PilotAggregatesService(tx).nationalCoachCaseloads());
defineSnapshot('teamFidelity', (tx) => new PilotAggregatesService(tx).nationalTeamFidelity());
// The integrators' flows as the policy's method publishes them (consort.service.ts asks for the same key).
if (DISCLOSURE_CONTROL.method === 'CELL_KEY') defineSnapshot('consortFlow:cellKey', ConsortService.cellKeyFlows);
else defineSnapshot('consortFlow', ConsortService.suppressedFlows);

/** The research subgraph's background work: its snapshots, kept current. */
export const startAggregateSnapshots = (orm: MikroORM, databaseUrl: string) => startSnapshotWorker(orm, databaseUrl);
