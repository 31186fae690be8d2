/** Reading allocations (R6); making them is the randomisation module's job. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { byKey } from '../../kit/context.js';
import { Region } from '../../kit/domain.js';
import { AllocationEntity, TrialArm } from '../entities/allocation.entity.js';

export const allocationsById = byKey<string, AllocationEntity>(
  (ids, { em }) => em.find(AllocationEntity, { id: { $in: [...ids] } }),
  (allocation) => allocation.id,
);

export const allocationByParticipant = byKey<string, AllocationEntity>(
  (participantIds, { em }) => em.find(AllocationEntity, { participantId: { $in: [...participantIds] } }),
  (allocation) => allocation.participantId,
);

export class AllocationService {
  constructor(private readonly em: EntityManager) {}

  /** Arm sizes per region, every region listed (zeros included). */
  async balance(): Promise<{ region: Region; ips: number; control: number }[]> {
    const counts = await this.em.countBy(AllocationEntity, ['region', 'arm']);
    return Object.values(Region).map((region) => ({
      region,
      ips: counts[`${region}~~~${TrialArm.IPS}`] ?? 0,
      control: counts[`${region}~~~${TrialArm.CONTROL}`] ?? 0,
    }));
  }
}
