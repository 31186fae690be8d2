import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { Region } from '../../kit/domain.js';
import { assertUuid } from '../../kit/validation.js';
import type { ConventionEntity } from '../entities/convention.entity.js';
import type { ConventionCatchmentEntity } from '../entities/convention-catchment.entity.js';
import { catchmentByConvention, ConventionService, conventionsById } from '../services/convention.service.js';
import { Convention, ConventionCatchment } from './convention.type.js';

@Resolver(() => Convention)
export class ConventionResolver {
  @Query(() => [Convention], { nullable: true, description: "INAMI's conventions with the IPS partners." })
  async conventions(
    @Ctx() { em }: SubgraphContext,
    @Arg('region', () => Region, { nullable: true }) region?: Region,
  ): Promise<ConventionEntity[]> {
    return new ConventionService(em).list(region);
  }

  @Query(() => Convention, { nullable: true })
  async convention(
    @Arg('id', () => ID) id: string,
    @Ctx() context: SubgraphContext,
  ): Promise<ConventionEntity | undefined> {
    return context.loaders.load(conventionsById, assertUuid('id', id));
  }

  @FieldResolver(() => [ConventionCatchment], {
    description:
      'The postcodes this convention serves: the person is registered under the convention of their postcode (R3, R17).',
  })
  async catchment(
    @Root() convention: ConventionEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<ConventionCatchmentEntity[]> {
    return (await context.loaders.load(catchmentByConvention, convention.id)) ?? [];
  }
}
