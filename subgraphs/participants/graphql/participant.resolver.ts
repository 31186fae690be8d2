import { GraphQLLocalDate } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { InvalidInputError } from '../../../schema/errors.js';
import { visibleOrNull } from '../../kit/access/guard.js';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { Region } from '../../kit/domain.js';
import { assertUuid, pageSize } from '../../kit/validation.js';
import type { ParticipantEntity } from '../entities/participant.entity.js';
import type { ReferralEntity } from '../entities/referral.entity.js';
import { IncapacityService } from '../services/incapacity.service.js';
import { ParticipantService, participantsById } from '../services/participant.service.js';
import { Participant } from './participant.type.js';
import { Referral } from './referral.type.js';

@Resolver(() => Participant)
export class ParticipantResolver {
  @Query(() => Participant, { nullable: true, description: "The calling participant's own record." })
  async me(@Ctx() context: SubgraphContext): Promise<ParticipantEntity | null> {
    return visibleOrNull(
      context,
      'Participant',
      await new ParticipantService(context).findByNiss(context.identity.subject),
    );
  }

  @Query(() => Participant, {
    nullable: true,
    description: 'A participant in your circle; null when there is none you may see.',
  })
  async participant(
    @Arg('id', () => ID) id: string,
    @Ctx() context: SubgraphContext,
  ): Promise<ParticipantEntity | null> {
    return visibleOrNull(context, 'Participant', await context.loaders.load(participantsById, assertUuid('id', id)));
  }

  @Query(() => [Participant], {
    nullable: true,
    description: "INAMI's registry of referred people (R5), a page at a time: only those whose consent covers you.",
    deprecationReason: 'Use `registry`: a cursor connection with a total, whose deep pages cost what the first does.',
  })
  async participants(
    @Ctx() context: SubgraphContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('offset', () => Int, { nullable: true, defaultValue: 0 }) offset: number,
    @Arg('region', () => Region, { nullable: true }) region?: Region,
  ): Promise<ParticipantEntity[]> {
    if (offset < 0) throw new InvalidInputError('offset', { id: 'input.notNegative' });
    return new ParticipantService(context).listVisible(context.identity, {
      first: pageSize('first', first),
      offset,
      region,
    });
  }

  @Mutation(() => Participant, {
    nullable: true,
    description: 'The physician of record ends the recognition of incapacity: refused while a pathway is open (R16).',
  })
  async endIncapacityRecognition(
    @Arg('participantId', () => ID) participantId: string,
    @Arg('endedOn', () => GraphQLLocalDate) endedOn: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<ParticipantEntity> {
    return new IncapacityService(context).endRecognition(participantId, endedOn, idempotencyKey);
  }

  @FieldResolver(() => [Referral], {
    nullable: true,
    description: 'Referral forms sent for this person, newest first.',
  })
  async referrals(@Root() participant: ParticipantEntity): Promise<ReferralEntity[]> {
    const referrals = await participant.referrals.load(); // batched across participants by MikroORM's dataloader
    return [...referrals].sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime());
  }
}
