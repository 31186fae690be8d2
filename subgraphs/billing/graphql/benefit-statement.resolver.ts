import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import type { BenefitStatementEntity } from '../entities/benefit-statement.entity.js';
import { BenefitStatementService, statementsByParticipant } from '../services/benefit-statement.service.js';
import { BenefitStatement, ParticipantReference, RecordBenefitStatementInput } from './benefit-statement.type.js';

@Resolver(() => BenefitStatement)
export class BenefitStatementResolver {
  @Mutation(() => BenefitStatement, {
    description:
      "The person's own health insurer records the benefit it paid for a month (one per month: a second one is a CONFLICT).",
  })
  async recordBenefitStatement(
    @Arg('input', () => RecordBenefitStatementInput) input: RecordBenefitStatementInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<BenefitStatementEntity> {
    return new BenefitStatementService(context).record(input, idempotencyKey);
  }

  @FieldResolver(() => String, { nullable: true })
  month(@Root() statement: BenefitStatementEntity): string {
    return statement.month.slice(0, 7);
  }
}

@Resolver(() => ParticipantReference)
export class ParticipantBenefitsResolver {
  @FieldResolver(() => [BenefitStatement], {
    nullable: true,
    description: "The health insurer's monthly benefit statements, oldest first.",
  })
  async benefitStatements(
    @Root() participant: ParticipantReference,
    @Ctx() context: SubgraphContext,
  ): Promise<BenefitStatementEntity[]> {
    return (await context.loaders.load(statementsByParticipant, participant.id)) ?? [];
  }
}
