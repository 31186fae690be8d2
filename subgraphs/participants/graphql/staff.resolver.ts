import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { StaffFunctionValue, type StaffMemberEntity } from '../entities/staff.entity.js';
import { StaffService } from '../services/staff.service.js';
import { EnrolStaffMemberInput, StaffMember } from './staff.type.js';

@Resolver(() => StaffMember)
export class StaffResolver {
  @Query(() => [StaffMember], { nullable: true, description: "The caller's own organisation's staff directory." })
  async staffDirectory(
    @Ctx() context: SubgraphContext,
    @Arg('function', () => StaffFunctionValue, { nullable: true }) staffFunction?: StaffFunctionValue,
    @Arg('includeEnded', { nullable: true, defaultValue: false }) includeEnded?: boolean,
  ): Promise<StaffMemberEntity[]> {
    return new StaffService(context).directory(context.identity, {
      function: staffFunction,
      includeEnded: includeEnded ?? false,
    });
  }

  @Mutation(() => StaffMember, {
    description: 'An organisation enrols one of its people under a function its role maintains.',
  })
  async enrolStaffMember(
    @Arg('input', () => EnrolStaffMemberInput) input: EnrolStaffMemberInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<StaffMemberEntity> {
    return new StaffService(context).enrol(input, idempotencyKey);
  }

  @Mutation(() => StaffMember, {
    description: "An organisation ends one of its people's function: they can no longer act under it.",
  })
  async endStaffMembership(
    @Arg('subject') subject: string,
    @Arg('function', () => StaffFunctionValue) staffFunction: StaffFunctionValue,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<StaffMemberEntity> {
    return new StaffService(context).end(subject, staffFunction, idempotencyKey);
  }

  @FieldResolver(() => String)
  organisationCode(@Root() member: StaffMemberEntity): string {
    return member.organisation.unwrap().code;
  }
}
