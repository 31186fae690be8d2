/**
 * One table of the page: a region's referrals by IPS partner (rows, then the region's total) and
 * stage (columns, then the stage groups and the total), over all quarters. A published cell shows
 * its count, marked when it carries the platform's small random noise (the cell key method); a withheld
 * cell shows that it is withheld and why — never a number, a zero or "< 5" in its place: a
 * complementary cell is withheld to protect another and may hold any count.
 */
import { request, type GatewayOptions } from './client';
import { RegionReferralsDocument, type Region, type RegionReferralsQuery } from './gql/graphql';

type Table = RegionReferralsQuery['pilotAggregates'];
type Cell = Table['cells'][number];

/** What a reader sees in a cell. */
export type Shown =
  { kind: 'count'; count: number; perturbed: boolean } | { kind: 'withheld'; reason: string; why: string };

export interface ReferralsView {
  region: Region;
  asOf: string;
  threshold: number;
  columns: { key: string; label: string }[];
  rows: { key: string; label: string; total: boolean; cells: { key: string; shown: Shown }[] }[];
}

/** Over every member of a dimension: its total (the cells' key uses `*`). */
const TOTAL = '*';

export async function loadRegionReferrals(region: Region, options: GatewayOptions): Promise<ReferralsView> {
  const { data } = await request(RegionReferralsDocument, { region }, options);
  return referralsView(region, data.pilotAggregates);
}

export function referralsView(region: Region, table: Table): ReferralsView {
  const dimension = (name: string) => {
    const found = table.dimensions.find((d) => d.name === name);
    if (!found) throw new Error(`the REFERRALS table has no ${name} dimension`);
    return found;
  };
  const [partner, quarter, stage] = [dimension('partner'), dimension('quarter'), dimension('stage')];
  const order = table.dimensions.map((d) => d.name);
  const cells = new Map(table.cells.map((cell) => [cell.key.join('/'), cell]));
  const at = (coordinates: Record<string, string>): Cell | undefined =>
    cells.get(order.map((name) => coordinates[name] ?? TOTAL).join('/'));
  if (!quarter.total) throw new Error('the REFERRALS table has no total over quarters');

  const label = (d: typeof partner, member: string) => d.labels[d.members.indexOf(member)] ?? member;
  const columns = [
    ...stage.members.map((member) => ({ key: member, label: label(stage, member) })),
    ...stage.groups.map((group) => ({ key: group.name, label: group.label })),
    ...(stage.total ? [{ key: TOTAL, label: 'Total' }] : []),
  ];
  const group = partner.groups.find((g) => g.name === region);
  const partners = group?.members ?? partner.members;
  const rowKeys = [
    ...partners.map((member) => ({ key: member, label: label(partner, member), total: false })),
    ...(group ? [{ key: group.name, label: group.label, total: true }] : []),
  ];
  return {
    region,
    asOf: table.asOf,
    threshold: table.threshold,
    columns,
    rows: rowKeys.map((row) => ({
      ...row,
      cells: columns.map((column) => {
        const key = { partner: row.key, quarter: TOTAL, stage: column.key };
        return { key: order.map((name) => key[name as keyof typeof key] ?? TOTAL).join('/'), shown: shown(at(key)) };
      }),
    })),
  };
}

/** A cell as a reader should read it: its count only when it is published. */
export function shown(cell: Cell | undefined): Shown {
  if (!cell) return { kind: 'withheld', reason: 'ABSENT', why: 'not published' };
  switch (cell.suppression) {
    case 'NONE':
      if (cell.count === null || cell.count === undefined)
        return { kind: 'withheld', reason: 'ABSENT', why: 'not published' };
      return { kind: 'count', count: cell.count, perturbed: cell.perturbed };
    case 'PRIMARY':
      return { kind: 'withheld', reason: cell.suppression, why: 'too few people to publish' };
    case 'COMPLEMENTARY':
      return {
        kind: 'withheld',
        reason: cell.suppression,
        why: 'protects a small count elsewhere: it may hold any number',
      };
    default:
      // A reason the gateway added after this client was generated: still withheld, never a number.
      return { kind: 'withheld', reason: String(cell.suppression), why: `withheld (${String(cell.suppression)})` };
  }
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The table as HTML: every count names its cell (`data-cell`), every withheld cell its reason (`data-suppressed`). */
export function referralsHtml(view: ReferralsView): string {
  const head = `<tr><th scope="col">Partner</th>${view.columns.map((c) => `<th scope="col">${escape(c.label)}</th>`).join('')}</tr>`;
  const body = view.rows
    .map((row) => {
      const cells = row.cells
        .map(({ key, shown }) =>
          shown.kind === 'count'
            ? shown.perturbed
              ? `<td data-cell="${escape(key)}" data-perturbed="true">${shown.count}<sup title="perturbed: small random noise added so that no one can be singled out">~</sup></td>`
              : `<td data-cell="${escape(key)}">${shown.count}</td>`
            : `<td data-cell="${escape(key)}" data-suppressed="${escape(shown.reason)}" class="withheld"><span>withheld</span> <small>${escape(shown.why)}</small></td>`,
        )
        .join('');
      return `<tr${row.total ? ' class="total"' : ''}><th scope="row">${escape(row.label)}</th>${cells}</tr>`;
    })
    .join('');
  const noise = view.rows.some((row) => row.cells.some(({ shown }) => shown.kind === 'count' && shown.perturbed))
    ? '; ~ marks a count with small random noise added'
    : '';
  return `<table><caption>Referrals in ${escape(view.region)} by partner and stage, all quarters, as of ${escape(view.asOf)}; counts from 1 to ${view.threshold - 1} are never published${noise}</caption><thead>${head}</thead><tbody>${body}</tbody></table>`;
}
