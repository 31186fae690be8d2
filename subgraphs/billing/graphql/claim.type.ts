import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ClaimLineDecision, ClaimStatus } from '../entities/claim.entity.js';
import {
  ClaimLineKind,
  ClaimLineSourceKind,
  type ClaimLineDecisionRequest,
  type ClaimLineSourceView,
  type ClaimLineView,
  type ClaimPaymentRequest,
  type ClaimPaymentView,
  type ClaimSubmission,
  type ClaimView,
  type CreditNoteLineView,
  type CreditNoteRequest,
  type CreditNoteView,
} from '../services/claim.view.js';

export { ClaimLineKind, ClaimLineSourceKind };

registerEnumType(ClaimStatus, {
  name: 'ClaimStatus',
  description:
    'SUBMITTED: INAMI decides each line; APPROVED: every line decided, one at least approved — it never changes again (credit notes correct it); REJECTED: every line rejected.',
});
registerEnumType(ClaimLineDecision, {
  name: 'ClaimLineDecision',
  description: "INAMI's decision on a claim line: APPROVED, or REJECTED with a reason.",
});

registerEnumType(ClaimLineKind, {
  name: 'ClaimLineKind',
  description:
    "A claim line's funding line: coach or supervisor FTE-months (paid at most at the convention's FTE), or pathways started in the IPS arm (where the convention pays per pathway).",
});

registerEnumType(ClaimLineSourceKind, {
  name: 'ClaimLineSourceKind',
  description: 'A staff membership of the partner, or a pathway registered under the convention.',
});

@ObjectType({
  description:
    'A record a claim line was computed from: a staff membership and the days of the month it counted, or a pathway started.',
})
export class ClaimLineSource implements ClaimLineSourceView {
  @Field(() => ClaimLineSourceKind)
  kind!: ClaimLineSourceKind;

  @Field({ description: "The staff member's subject (staff directory), or the pathway's id." })
  reference!: string;

  @Field(() => Int, { nullable: true, description: "The membership's FTE (hundredths); null for a pathway." })
  fteHundredths!: number | null;

  @Field(() => GraphQLLocalDate, { description: 'First day counted in the month (a pathway: its start).' })
  from!: string;

  @Field(() => GraphQLLocalDate)
  to!: string;

  @Field(() => Int, { description: 'Days counted.' })
  days!: number;

  @Field({ description: 'Paid on this line (a pathway in the control arm or not yet randomised is named, not paid).' })
  counted!: boolean;
}

@ObjectType({
  description:
    "A line of a claim: a funding line of the convention applied to the month, explained by its source records, with INAMI's decision.",
})
export class ClaimLine implements ClaimLineView {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  position!: number;

  @Field(() => ClaimLineKind)
  kind!: ClaimLineKind;

  @Field(() => Int, { description: 'Staffed FTE-months (hundredths), or pathways started in the IPS arm.' })
  quantity!: number;

  @Field(() => Int, {
    nullable: true,
    description: "The convention's funded FTE (hundredths): the most paid; null for pathways.",
  })
  fundedQuantity!: number | null;

  @Field(() => Int, { description: 'What is paid: FTE-months (hundredths) within the funded FTE, or pathways.' })
  paidQuantity!: number;

  @Field(() => Int, { description: "The convention's amount per FTE-month or per pathway, euro cents." })
  unitCents!: number;

  @Field(() => Int, { description: 'Euro cents claimed (computed from the exact FTE-days, rounded half up once).' })
  amountCents!: number;

  @Field({ description: 'The line in words: what was counted, the cap, the amount.' })
  explanation!: string;

  @Field(() => [ClaimLineSource])
  sources!: ClaimLineSource[];

  @Field(() => ClaimLineDecision, { nullable: true })
  decision!: ClaimLineDecision | null;

  @Field(() => String, {
    nullable: true,
    description: "INAMI's reason for a rejection (free text of INAMI; no person in it).",
  })
  decisionReason!: string | null;

  @Field(() => String, { nullable: true, description: 'The INAMI agent who decided (staff subject).' })
  decidedBy!: string | null;

  @Field(() => Date, { nullable: true })
  decidedAt!: Date | null;
}

@ObjectType({ description: 'A line of a credit note: a negative amount on an approved claim line.' })
export class CreditNoteLine implements CreditNoteLineView {
  @Field(() => ID)
  claimLineId!: string;

  @Field(() => Int, { description: 'Negative, euro cents.' })
  amountCents!: number;
}

@ObjectType({
  description:
    'A credit note correcting an approved claim (which itself never changes): issued by the partner, its own lines, negative amounts.',
})
export class CreditNote implements CreditNoteView {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Why (free text of the partner; no person in it).' })
  reason!: string;

  @Field(() => Int, { description: 'The sum of its lines: negative, euro cents.' })
  totalCents!: number;

  @Field()
  issuedBy!: string;

  @Field()
  issuedAt!: Date;

  @Field(() => [CreditNoteLine])
  lines!: CreditNoteLine[];
}

@ObjectType({ description: 'A payment INAMI made on an approved claim.' })
export class ClaimPayment implements ClaimPaymentView {
  @Field(() => ID)
  id!: string;

  @Field(() => GraphQLLocalDate)
  paidOn!: string;

  @Field({ description: 'The bank transfer reference.' })
  reference!: string;

  @Field(() => Int)
  amountCents!: number;

  @Field()
  recordedBy!: string;

  @Field()
  recordedAt!: Date;
}

@ObjectType({
  description:
    "A partner's claim for one month under its convention (R17): lines computed at submission from the convention in force and the platform's staffing and pathways, INAMI's decision per line, credit notes and payments. Amounts in euro cents.",
})
export class Claim implements ClaimView {
  @Field(() => ID)
  id!: string;

  @Field({ description: "The convention's code (the partner)." })
  code!: string;

  @Field({ description: 'YYYY-MM.' })
  period!: string;

  @Field(() => Int, { description: "The convention's version the lines were computed from." })
  conventionVersion!: number;

  @Field(() => ClaimStatus)
  status!: ClaimStatus;

  @Field(() => Int, { description: 'The sum of the lines as claimed.' })
  claimedCents!: number;

  @Field(() => Int, { description: 'The sum of the approved lines (0 until decided).' })
  approvedCents!: number;

  @Field(() => Int, { description: 'The sum of the credit notes: 0 or negative.' })
  creditedCents!: number;

  @Field(() => Int, { description: "The period's total: approved lines plus credit notes." })
  totalCents!: number;

  @Field(() => Int, { description: 'The sum of the payments recorded.' })
  paidCents!: number;

  @Field(() => Int, { description: 'Still due: total minus paid.' })
  dueCents!: number;

  @Field({ description: 'The supervisor who submitted it (staff subject).' })
  submittedBy!: string;

  @Field()
  submittedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When its last line was decided.' })
  decidedAt!: Date | null;

  @Field(() => [ClaimLine])
  lines!: ClaimLine[];

  @Field(() => [CreditNote])
  creditNotes!: CreditNote[];

  @Field(() => [ClaimPayment])
  payments!: ClaimPayment[];
}

@InputType({ description: "The partner's supervisor claims a month under its convention." })
export class SubmitClaimInput implements ClaimSubmission {
  @Field(() => ID)
  conventionId!: string;

  @Field({ description: "YYYY-MM: a month ended, within the convention's period." })
  period!: string;
}

@InputType({ description: 'INAMI decides one line of a submitted claim.' })
export class DecideClaimLineInput implements ClaimLineDecisionRequest {
  @Field(() => ID)
  lineId!: string;

  @Field(() => ClaimLineDecision)
  decision!: ClaimLineDecision;

  @Field(() => String, {
    nullable: true,
    description: 'Required when rejecting; 3 to 2000 characters, no person in it.',
  })
  reason?: string | null;
}

@InputType()
export class CreditNoteLineInput implements CreditNoteLineView {
  @Field(() => ID)
  claimLineId!: string;

  @Field(() => Int, { description: 'Negative euro cents.' })
  amountCents!: number;
}

@InputType({ description: 'The partner corrects an approved claim: negative amounts on its approved lines, and why.' })
export class IssueCreditNoteInput implements CreditNoteRequest {
  @Field(() => ID)
  claimId!: string;

  @Field({ description: '3 to 2000 characters, no person in it.' })
  reason!: string;

  @Field(() => [CreditNoteLineInput])
  lines!: CreditNoteLineInput[];
}

@InputType({ description: 'INAMI records a payment of an approved claim.' })
export class RecordClaimPaymentInput implements ClaimPaymentRequest {
  @Field(() => ID)
  claimId!: string;

  @Field(() => GraphQLLocalDate)
  paidOn!: string;

  @Field({ description: 'The bank transfer reference, 1 to 100 characters.' })
  reference!: string;

  @Field(() => Int, { description: 'Positive euro cents, at most what is due.' })
  amountCents!: number;
}
