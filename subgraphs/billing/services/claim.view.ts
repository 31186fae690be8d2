/**
 * A claim as the claim service builds it for its readers (R17): plain data, no GraphQL. The GraphQL
 * types of graphql/claim.type.ts implement these shapes, so a field added here and forgotten there
 * (or the reverse) fails the type check.
 */
import type { ClaimLineDecision, ClaimStatus } from '../entities/claim.entity.js';

/** The convention's funding lines a claim line pays (claim-lines.ts computes them). */
export enum ClaimLineKind {
  COACH_FTE_MONTHS = 'COACH_FTE_MONTHS',
  SUPERVISOR_FTE_MONTHS = 'SUPERVISOR_FTE_MONTHS',
  PATHWAY_STARTS = 'PATHWAY_STARTS',
}

/** What a line's source record is: a staff membership of the partner, or a pathway under the convention. */
export enum ClaimLineSourceKind {
  STAFF_MEMBERSHIP = 'STAFF_MEMBERSHIP',
  PATHWAY = 'PATHWAY',
}

export interface ClaimLineSourceView {
  kind: ClaimLineSourceKind;
  reference: string;
  fteHundredths: number | null;
  from: string;
  to: string;
  days: number;
  counted: boolean;
}

export interface ClaimLineView {
  id: string;
  position: number;
  kind: ClaimLineKind;
  quantity: number;
  fundedQuantity: number | null;
  paidQuantity: number;
  unitCents: number;
  amountCents: number;
  explanation: string;
  sources: ClaimLineSourceView[];
  decision: ClaimLineDecision | null;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export interface CreditNoteLineView {
  claimLineId: string;
  amountCents: number;
}

export interface CreditNoteView {
  id: string;
  reason: string;
  totalCents: number;
  issuedBy: string;
  issuedAt: Date;
  lines: CreditNoteLineView[];
}

export interface ClaimPaymentView {
  id: string;
  paidOn: string;
  reference: string;
  amountCents: number;
  recordedBy: string;
  recordedAt: Date;
}

export interface ClaimView {
  id: string;
  code: string;
  period: string;
  conventionVersion: number;
  status: ClaimStatus;
  claimedCents: number;
  approvedCents: number;
  creditedCents: number;
  totalCents: number;
  paidCents: number;
  dueCents: number;
  submittedBy: string;
  submittedAt: Date;
  decidedAt: Date | null;
  lines: ClaimLineView[];
  creditNotes: CreditNoteView[];
  payments: ClaimPaymentView[];
}

/** A partner's supervisor claims a period under the convention (R17). */
export interface ClaimSubmission {
  conventionId: string;
  period: string;
}

/** INAMI's decision on one line; a rejection carries its reason. */
export interface ClaimLineDecisionRequest {
  lineId: string;
  decision: ClaimLineDecision;
  reason?: string | null;
}

/** A credit note correcting an approved claim, line by line. */
export interface CreditNoteRequest {
  claimId: string;
  reason: string;
  lines: CreditNoteLineView[];
}

/** A payment INAMI made against a claim. */
export interface ClaimPaymentRequest {
  claimId: string;
  paidOn: string;
  reference: string;
  amountCents: number;
}
