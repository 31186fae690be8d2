import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { visibleOrNull } from '../../kit/access/guard.js';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { assertUuid } from '../../kit/validation.js';
import type { PathwayEntity } from '../entities/pathway.entity.js';
import { PathwayService, pathwayByParticipant, pathwaysById } from '../services/pathway.service.js';
import { AssignJobCoachInput, AssignReferenceCounsellorInput, RegisterPathwayInput } from './pathway.inputs.js';
import {
  ConventionReference,
  ParticipantReference,
  Pathway,
  PathwayRegistration,
  RegistryCount,
} from './pathway.type.js';

@Resolver(() => Pathway)
export class PathwayResolver {
  @Query(() => Pathway, { nullable: true })
  async pathway(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<PathwayEntity | null> {
    return visibleOrNull(context, 'Pathway', await context.loaders.load(pathwaysById, assertUuid('id', id)));
  }

  @Query(() => [RegistryCount], {
    description: "INAMI's registry in figures (R5): every pathway counted, whatever the consent, no one identified.",
  })
  async registryCounts(@Ctx() context: SubgraphContext): Promise<RegistryCount[]> {
    return new PathwayService(context).registryCounts();
  }

  @Mutation(() => PathwayRegistration, {
    description:
      'INAMI registers the pathway of a referral that reached its intake (R5). Retrying with the same idempotencyKey returns the same pathway.',
  })
  async registerPathway(
    @Arg('input', () => RegisterPathwayInput) input: RegisterPathwayInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<PathwayRegistration> {
    const pathway = await new PathwayService(context).register(input, idempotencyKey);
    return {
      pathwayId: pathway.id,
      participantId: pathway.participantId,
      registeredAt: pathway.registeredAt,
      pathway: (await visibleOrNull(context, 'Pathway', pathway)) ?? undefined,
    };
  }

  @Mutation(() => Pathway, {
    description: "The IPS partner's supervisor names the job coach who becomes the person's referent (R11).",
  })
  async assignJobCoach(
    @Arg('input', () => AssignJobCoachInput) input: AssignJobCoachInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<PathwayEntity> {
    return new PathwayService(context).assignJobCoach(input, idempotencyKey);
  }

  @Mutation(() => Pathway, {
    description:
      'The SRE names the reference counsellor (conseiller référent) who follows a control-group person to the end (R9, R15, R16).',
  })
  async assignReferenceCounsellor(
    @Arg('input', () => AssignReferenceCounsellorInput) input: AssignReferenceCounsellorInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<PathwayEntity> {
    return new PathwayService(context).assignReferenceCounsellor(input, idempotencyKey);
  }

  @FieldResolver(() => ParticipantReference, { nullable: true })
  participant(@Root() pathway: PathwayEntity): ParticipantReference {
    return { id: pathway.participantId };
  }

  @FieldResolver(() => ConventionReference, { nullable: true })
  convention(@Root() pathway: PathwayEntity): ConventionReference {
    return { id: pathway.conventionId };
  }
}

@Resolver(() => ParticipantReference)
export class ParticipantPathwayResolver {
  @FieldResolver(() => Pathway, {
    nullable: true,
    description: "The person's pathway in the pilot, once INAMI registered it (R5).",
  })
  async pathway(
    @Root() participant: ParticipantReference,
    @Ctx() context: SubgraphContext,
  ): Promise<PathwayEntity | undefined> {
    return context.loaders.load(pathwayByParticipant, participant.id);
  }
}
