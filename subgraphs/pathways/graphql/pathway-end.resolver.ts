import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import type { PathwayEntity } from '../entities/pathway.entity.js';
import type { PhysicianMessageEntity } from '../entities/physician-message.entity.js';
import { pathwaysById } from '../services/pathway.service.js';
import { PathwayEndService } from '../services/pathway-end.service.js';
import { EndPathwayInput, PhysicianMessage } from './pathway-end.type.js';
import { ParticipantReference, Pathway } from './pathway.type.js';

@Resolver(() => PhysicianMessage)
export class PathwayEndResolver {
  @Mutation(() => Pathway, {
    description:
      'The referent job coach ends the pathway; the physician of record is informed in the same transaction (R16).',
  })
  async endPathway(
    @Arg('input', () => EndPathwayInput) input: EndPathwayInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<PathwayEntity> {
    return new PathwayEndService(context).end(input, idempotencyKey);
  }

  @Mutation(() => PhysicianMessage, { description: 'The physician marks a message of their follow-up file as read.' })
  async markPhysicianMessageRead(
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<PhysicianMessageEntity> {
    return new PathwayEndService(context).markRead(id, idempotencyKey);
  }

  @FieldResolver(() => Pathway, { nullable: true })
  async pathway(
    @Root() message: PhysicianMessageEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<PathwayEntity | undefined> {
    return context.loaders.load(pathwaysById, message.pathwayId);
  }

  @FieldResolver(() => ParticipantReference, { nullable: true })
  participant(@Root() message: PhysicianMessageEntity): ParticipantReference {
    return { id: message.participantId };
  }
}
