import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { byKey, type SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import type { PathwayActEntity } from '../entities/pathway-act.entity.js';
import type { PathwayEntity } from '../entities/pathway.entity.js';
import type { PhysicianMessageEntity } from '../entities/physician-message.entity.js';
import { RpFormEntity } from '../entities/rp-form.entity.js';
import { RpFormService, rpFormsByPathway } from '../services/rp-form.service.js';
import { PhysicianMessage } from './pathway-end.type.js';
import { Pathway } from './pathway.type.js';
import { RpForm, SendRpFormInput } from './rp-form.type.js';
import { ActInboxItem } from './worklist.resolver.js';

const rpFormsById = byKey<string, RpFormEntity>(
  (ids, { em }) => em.find(RpFormEntity, { id: { $in: [...ids] } }),
  (form) => form.id,
);
const rpFormsByAct = byKey<string, RpFormEntity>(
  (ids, { em }) => em.find(RpFormEntity, { actId: { $in: [...ids] } }),
  (form) => form.actId,
);

@Resolver(() => RpForm)
export class RpFormResolver {
  @Mutation(() => RpForm, {
    description:
      "Sends an RP1 (SRE, R10) or RP1IPS (referent job coach, R13) to INAMI's mailbox, copied to the physician of record with the form itself; a correction is the next version, the earlier ones kept.",
  })
  async sendRpForm(
    @Arg('input', () => SendRpFormInput) input: SendRpFormInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<RpFormEntity> {
    return new RpFormService(context).send(input, idempotencyKey);
  }
}

@Resolver(() => Pathway)
export class PathwayRpFormsResolver {
  @FieldResolver(() => [RpForm], {
    nullable: true,
    description: 'Every version of every RP1 and RP1IPS of the pathway, in the order they were sent (R10, R13, R14).',
  })
  async rpForms(@Root() pathway: PathwayEntity, @Ctx() context: SubgraphContext): Promise<RpFormEntity[]> {
    return (await context.loaders.load(rpFormsByPathway, pathway.id)) ?? [];
  }
}

@Resolver(() => PhysicianMessage)
export class PhysicianMessageFormResolver {
  @FieldResolver(() => RpForm, {
    nullable: true,
    description: 'The copy of an RP1 or RP1IPS carries the form itself: the version sent (R10, R13).',
  })
  async form(
    @Root() message: PhysicianMessageEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<RpFormEntity | undefined> {
    return message.rpFormId ? context.loaders.load(rpFormsById, message.rpFormId) : undefined;
  }
}

@Resolver(() => ActInboxItem)
export class ActInboxItemFormResolver {
  @FieldResolver(() => RpForm, {
    nullable: true,
    description: 'The form an RP1 or RP1IPS act sent, with its content (R10, R13).',
  })
  async form(@Root() act: PathwayActEntity, @Ctx() context: SubgraphContext): Promise<RpFormEntity | undefined> {
    return context.loaders.load(rpFormsByAct, act.id);
  }
}
