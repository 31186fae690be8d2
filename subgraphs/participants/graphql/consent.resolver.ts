import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { pageSize } from '../../kit/validation.js';
import type { ResearchConsentEntity } from '../entities/consent.entity.js';
import type { ParticipantEntity } from '../entities/participant.entity.js';
import {
  activeGrantsByParticipant,
  ConsentService,
  researchConsentByParticipant,
  type GrantInForce,
} from '../services/consent.service.js';
import { AccessLogEntry, ConsentGrant, ConsentReceipt, ResearchConsent } from './consent.type.js';
import { Participant } from './participant.type.js';
import { ConsentGrantInput } from './referral.inputs.js';

const FORM = {
  nullable: true,
  description: "Reference of the signed form; required when the physician acts on the person's behalf.",
} as const;

@Resolver(() => Participant)
export class ConsentResolver {
  @FieldResolver(() => [ConsentGrant], {
    nullable: true,
    description: 'The information-sharing grants in force (R1e).',
  })
  async consentGrants(
    @Root() participant: ParticipantEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<GrantInForce[]> {
    return (await context.loaders.load(activeGrantsByParticipant, participant.id)) ?? [];
  }

  @FieldResolver(() => ResearchConsent, { nullable: true, description: 'The latest research consent (R1f).' })
  async researchConsent(
    @Root() participant: ParticipantEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<ResearchConsentEntity | undefined> {
    return (await context.loaders.load(researchConsentByParticipant, participant.id))?.[0];
  }

  @FieldResolver(() => [AccessLogEntry], {
    nullable: true,
    description: "Who read this person's data, newest first: for the person alone.",
  })
  async accessLog(
    @Root() participant: ParticipantEntity,
    @Ctx() context: SubgraphContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
  ): Promise<object[]> {
    return new ConsentService(context).accessLog(participant.id, pageSize('first', first));
  }

  @Mutation(() => ConsentReceipt, { description: 'Give information-sharing grants (R1e), from a signed consent form.' })
  async giveInformationSharingConsent(
    @Arg('participantId', () => ID) participantId: string,
    @Arg('grants', () => [ConsentGrantInput]) grants: ConsentGrantInput[],
    @Arg('signedFormReference') signedFormReference: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<ConsentReceipt> {
    return new ConsentService(context).give(participantId, grants, signedFormReference, idempotencyKey);
  }

  @Mutation(() => ConsentReceipt, { description: 'Revoke some grants; in force from the very next request (R18).' })
  async narrowInformationSharingConsent(
    @Arg('participantId', () => ID) participantId: string,
    @Arg('revoke', () => [ConsentGrantInput]) revoke: ConsentGrantInput[],
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
    @Arg('signedFormReference', () => String, FORM) signedFormReference?: string | null,
  ): Promise<ConsentReceipt> {
    return new ConsentService(context).narrow(participantId, revoke, signedFormReference, idempotencyKey);
  }

  @Mutation(() => ConsentReceipt, {
    description: 'Withdraw the whole information-sharing consent; in force from the very next request (R18).',
  })
  async withdrawInformationSharingConsent(
    @Arg('participantId', () => ID) participantId: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
    @Arg('signedFormReference', () => String, FORM) signedFormReference?: string | null,
  ): Promise<ConsentReceipt> {
    return new ConsentService(context).withdraw(participantId, signedFormReference, idempotencyKey);
  }

  @Mutation(() => ConsentReceipt, { description: 'Give the research consent (R1f), from a signed form.' })
  async giveResearchConsent(
    @Arg('participantId', () => ID) participantId: string,
    @Arg('signedFormReference') signedFormReference: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<ConsentReceipt> {
    return new ConsentService(context).giveResearch(participantId, signedFormReference, idempotencyKey);
  }

  @Mutation(() => ConsentReceipt, { description: 'Withdraw the research consent (R1f).' })
  async withdrawResearchConsent(
    @Arg('participantId', () => ID) participantId: string,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
    @Arg('signedFormReference', () => String, FORM) signedFormReference?: string | null,
  ): Promise<ConsentReceipt> {
    return new ConsentService(context).withdrawResearch(participantId, signedFormReference, idempotencyKey);
  }
}
