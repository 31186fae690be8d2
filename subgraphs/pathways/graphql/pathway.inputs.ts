import { Field, ID, InputType } from 'type-graphql';
import type {
  JobCoachAssignment,
  PathwayRegistration,
  ReferenceCounsellorAssignment,
} from '../services/pathway.service.js';

@InputType({ description: 'INAMI registers a pathway for a referral that reached its intake (R5).' })
export class RegisterPathwayInput implements PathwayRegistration {
  @Field(() => ID)
  referralId!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      "The convention of the IPS partner whose catchment holds the person's postcode (R3, R17; `Convention.catchment`). Derived from the postcode when omitted; refused (BAD_USER_INPUT on this field) when it is another convention.",
  })
  conventionId?: string | null;
}

@InputType({ description: 'The SRE names the reference counsellor who follows a control-group person (R9).' })
export class AssignReferenceCounsellorInput implements ReferenceCounsellorAssignment {
  @Field(() => ID)
  pathwayId!: string;

  @Field({ description: 'Subject of a counsellor of your SRE (staff directory, SRE_COUNSELLOR).' })
  referenceCounsellor!: string;
}

@InputType({ description: "A supervisor names the job coach who becomes the person's referent (R11)." })
export class AssignJobCoachInput implements JobCoachAssignment {
  @Field(() => ID)
  pathwayId!: string;

  @Field({ description: 'Subject of a job coach of your IPS partner.' })
  jobCoach!: string;
}
