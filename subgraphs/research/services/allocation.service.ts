/** Reading allocations (R6); making them is the randomisation module's job. */
import { byKey } from '../../kit/context.js';
import { Region } from '../../kit/domain.js';
import { queryRows, type SqlRunner } from '../../kit/raw-sql.js';
import { AllocationEntity } from '../entities/allocation.entity.js';

export const allocationsById = byKey<string, AllocationEntity>(
  (ids, { em }) => em.find(AllocationEntity, { id: { $in: [...ids] } }),
  (allocation) => allocation.id,
);

export const allocationByParticipant = byKey<string, AllocationEntity>(
  (participantIds, { em }) => em.find(AllocationEntity, { participantId: { $in: [...participantIds] } }),
  (allocation) => allocation.participantId,
);

export class AllocationService {
  constructor(private readonly runner: SqlRunner) {}

  /**
   * Arm sizes per region (the stratum), every region listed (zeros included), lagged by the vault
   * (allocation_vault.balance): arms counted up to the stratum's last point of balance, later
   * allocations only as pending, so the answer never reveals the open block (CONSORT item 9).
   */
  async balance(): Promise<{ region: Region; ips: number; control: number; pending: number }[]> {
    const rows = await queryRows<{ stratum: string; ips: string; control: string; pending: string }>(
      this.runner,
      'select * from allocation_vault.balance()',
      [],
    );
    const byStratum = new Map(rows.map((row) => [row.stratum, row]));
    return Object.values(Region).map((region) => {
      const row = byStratum.get(region);
      return {
        region,
        ips: Number(row?.ips ?? 0),
        control: Number(row?.control ?? 0),
        pending: Number(row?.pending ?? 0),
      };
    });
  }
}
