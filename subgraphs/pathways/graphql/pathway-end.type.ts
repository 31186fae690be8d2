import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DataCategoryValue } from '../../kit/domain.js';
import { PathwayEndReason } from '../entities/pathway.entity.js';
import { PhysicianMessageKind } from '../entities/physician-message.entity.js';

registerEnumType(PathwayEndReason, { name: 'PathwayEndReason', description: 'Why a pathway ended (R16).' });
registerEnumType(PhysicianMessageKind, {
  name: 'PhysicianMessageKind',
  description: "What a message in the physician's follow-up file is about (R14).",
});

@InputType({ description: 'The referent job coach ends the pathway; the physician is informed at once (R16).' })
export class EndPathwayInput {
  @Field(() => ID)
  pathwayId!: string;

  @Field(() => GraphQLLocalDate, { description: 'Not in the future, not before the registration.' })
  endedOn!: string;

  @Field(() => PathwayEndReason)
  reason!: PathwayEndReason;

  @Field(() => String, { nullable: true, description: 'A word for the physician (at most 2000 characters).' })
  note?: string | null;

  @Field(() => DataCategoryValue, {
    nullable: true,
    description: 'Required with a note: the kind of data it holds; only those it is meant for read it (R18).',
  })
  noteCategory?: DataCategoryValue | null;
}

@ObjectType({
  description:
    "A message in the follow-up file of the advising physician (FR médecin conseil / NL adviserend arts) (R14). `body` is told in the reader's language (Accept-Language) when the platform wrote it.",
})
export class PhysicianMessage {
  @Field(() => ID)
  id!: string;

  @Field(() => PhysicianMessageKind, { nullable: true })
  kind?: PhysicianMessageKind;

  @Field({ nullable: true })
  body?: string;

  @Field({ nullable: true })
  sentAt?: Date;

  @Field({ nullable: true })
  sentBy?: string;

  @Field({ nullable: true })
  readAt?: Date;
}
