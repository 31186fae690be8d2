import { GraphQLLocalDate } from 'graphql-scalars';
import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Mutation,
  ObjectType,
  registerEnumType,
  Resolver,
  Root,
} from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { DataCategoryValue } from '../../kit/domain.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { PathwayActKind, type PathwayActEntity } from '../entities/pathway-act.entity.js';
import type { PathwayEntity } from '../entities/pathway.entity.js';
import { PathwayActService, timelineByPathway, type TimelineRow } from '../services/pathway-act.service.js';
import { Pathway } from './pathway.type.js';

registerEnumType(PathwayActKind, {
  name: 'PathwayActKind',
  description: 'Acts of the pathway (R8–R10, R13, R14); each is recorded by one role.',
});

@InputType({
  description:
    'An act of the pathway: the SRE names a resource person (R8), holds the reference interview (R9), files an RP1 (R10); the coach sends an RP1IPS (R13) or writes to the physician; the physician writes to the coach (R14).',
})
export class RecordPathwayActInput {
  @Field(() => ID)
  pathwayId!: string;

  @Field(() => PathwayActKind)
  kind!: PathwayActKind;

  @Field(() => GraphQLLocalDate, { description: 'Not in the future.' })
  actOn!: string;

  @Field(() => String, { nullable: true, description: 'The resource person (R8) or reference counsellor (R9).' })
  person?: string | null;

  @Field(() => String, { nullable: true, description: 'The message, or a note (at most 2000 characters).' })
  detail?: string | null;

  @Field(() => DataCategoryValue, {
    nullable: true,
    description:
      "Required with a detail: the kind of data it holds (HEALTH, EMPLOYMENT, BENEFITS or ADMINISTRATIVE). Only those whose role and the person's consent cover it will read it (R18).",
  })
  detailCategory?: DataCategoryValue | null;
}

@ObjectType({ description: 'An act of the pathway.' })
export class PathwayAct {
  @Field(() => ID)
  id!: string;

  @Field(() => PathwayActKind, { nullable: true })
  kind?: PathwayActKind;

  @Field(() => GraphQLLocalDate, { nullable: true })
  actOn?: string;
}

@ObjectType({ description: "One event of a pathway's timeline; each is shown only to whom the policy allows." })
export class TimelineEvent {
  @Field({ nullable: true, deprecationReason: 'Use `on` (the day) and `recordedAt` (the order within the day).' })
  at?: Date;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'The day it happened (Belgian calendar).' })
  on?: string;

  @Field({ nullable: true, description: 'When it was recorded: events of one day are in this order.' })
  recordedAt?: Date;

  @Field({ nullable: true })
  kind?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Who did it: the author of the recorded act, never a role guessed from its kind.',
  })
  actor?: string | null;

  @Field(() => String, { nullable: true })
  detail?: string | null;
}

@Resolver(() => PathwayAct)
export class PathwayActResolver {
  @Mutation(() => PathwayAct, {
    description:
      'Records an act of the pathway; the physician receives the copies R10, R13 and R14 ask for, in the same transaction.',
  })
  async recordPathwayAct(
    @Arg('input', () => RecordPathwayActInput) input: RecordPathwayActInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<PathwayActEntity> {
    return new PathwayActService(context).record(input, idempotencyKey);
  }
}

@Resolver(() => Pathway)
export class PathwayTimelineResolver {
  @FieldResolver(() => [TimelineEvent], {
    nullable: true,
    description:
      'Every event of the pathway by day, then in the order it was recorded, each naming who did it and under its own data category (R18).',
  })
  async timeline(@Root() pathway: PathwayEntity, @Ctx() context: SubgraphContext): Promise<TimelineRow[]> {
    return new PathwayActService(context).visibleEvents(
      (await context.loaders.load(timelineByPathway, pathway.id)) ?? [],
    );
  }
}
