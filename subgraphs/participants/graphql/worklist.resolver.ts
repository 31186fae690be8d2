import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import { ConnectionArgs, connectionTypes, type ConnectionValue } from '../../kit/connection.js';
import type { SubgraphContext } from '../../kit/context.js';
import { Region } from '../../kit/domain.js';
import type { ParticipantEntity } from '../entities/participant.entity.js';
import { WorklistService } from '../services/worklist.service.js';
import { Participant } from './participant.type.js';

export const ParticipantList = connectionTypes(
  'Participant',
  Participant,
  'A page of people, newest referred first, with the total the caller may see.',
);

@Resolver()
export class PeopleWorklistResolver {
  @Query(() => ParticipantList.Connection, {
    nullable: true,
    description: "INAMI's registry of referred people (R5), newest first: only those whose consent covers INAMI.",
  })
  registry(
    @Ctx() context: SubgraphContext,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('region', () => Region, { nullable: true }) region?: Region,
  ): Promise<ConnectionValue<ParticipantEntity>> {
    return new WorklistService(context).people(page, { region });
  }

  @Query(() => ParticipantList.Connection, {
    nullable: true,
    description: "The health insurer's members in the pilot, newest first (mutualité / ziekenfonds).",
  })
  members(
    @Ctx() context: SubgraphContext,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('region', () => Region, { nullable: true }) region?: Region,
  ): Promise<ConnectionValue<ParticipantEntity>> {
    return new WorklistService(context).people(page, { region });
  }

  @Query(() => ParticipantList.Connection, {
    nullable: true,
    description:
      'The advising physician’s patients in the pilot: the people whose physician of record they are (R14), newest first.',
  })
  patients(
    @Ctx() context: SubgraphContext,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('region', () => Region, { nullable: true }) region?: Region,
  ): Promise<ConnectionValue<ParticipantEntity>> {
    return new WorklistService(context).people(page, { region });
  }

  @Query(() => Participant, {
    nullable: true,
    description: 'A person in your circle by national number (NISS / INSZ); null when there is none you may see.',
  })
  participantByNiss(
    @Ctx() context: SubgraphContext,
    @Arg('niss', () => String) niss: string,
  ): Promise<ParticipantEntity | null> {
    return new WorklistService(context).byNiss(niss);
  }
}
