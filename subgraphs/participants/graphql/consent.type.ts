import { Field, ID, ObjectType } from 'type-graphql';
import { ConsentRecipientValue, DataCategoryValue } from '../../kit/domain.js';

@ObjectType({
  description: 'A grant of the information-sharing consent (R1e): one recipient may receive one category of data.',
})
export class ConsentGrant {
  @Field(() => ID)
  id!: string;

  @Field(() => ConsentRecipientValue, { nullable: true })
  recipient?: ConsentRecipientValue;

  @Field(() => DataCategoryValue, { nullable: true })
  category?: DataCategoryValue;

  @Field({ nullable: true, description: 'Reference of the signed consent form.' })
  signedFormReference?: string;

  @Field({ nullable: true })
  grantedAt?: Date;

  @Field({
    nullable: true,
    description: 'Who recorded the grant: the person, or their physician with the signed form.',
  })
  grantedBy?: string;
}

@ObjectType({ description: 'The research consent (R1f): pseudonymised data of the person may be used in the study.' })
export class ResearchConsent {
  @Field({ nullable: true })
  signedFormReference?: string;

  @Field({ nullable: true })
  givenAt?: Date;

  @Field({ nullable: true, description: 'Set when the person withdrew it.' })
  withdrawnAt?: Date;
}

@ObjectType({
  description:
    "One read of the person's data by someone (GDPR art. 15): who, when, which categories, through which operation.",
})
export class AccessLogEntry {
  @Field({ nullable: true })
  at?: Date;

  @Field({ nullable: true, description: 'The person who read (token subject).' })
  subject?: string;

  @Field({ nullable: true })
  role?: string;

  @Field({ nullable: true })
  organisation?: string;

  @Field(() => [DataCategoryValue], { nullable: true })
  categories?: DataCategoryValue[];

  @Field({ nullable: true, description: 'The GraphQL operation name the client sent.' })
  operation?: string;

  @Field({ nullable: true })
  subgraph?: string;
}

@ObjectType({
  description:
    'Acknowledges a consent change: recorded, in force from the next request. It repeats nothing the caller did not send.',
})
export class ConsentReceipt {
  @Field(() => ID)
  participantId!: string;

  @Field()
  recordedAt!: Date;

  @Field({ description: 'Who recorded the change: the person, or their physician with the signed form.' })
  recordedBy!: string;
}
