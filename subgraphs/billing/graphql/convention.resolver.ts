import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { Region } from '../../kit/domain.js';
import { assertUuid } from '../../kit/validation.js';
import type { ConventionEntity } from '../entities/convention.entity.js';
import { ConventionService, conventionsById } from '../services/convention.service.js';
import { Convention } from './convention.type.js';

@Resolver(() => Convention)
export class ConventionResolver {
  @Query(() => [Convention], { nullable: true, description: "INAMI's conventions with the IPS partners." })
  async conventions(@Ctx() { em }: SubgraphContext, @Arg('region', () => Region, { nullable: true }) region?: Region): Promise<ConventionEntity[]> {
    return new ConventionService(em).list(region);
  }

  @Query(() => Convention, { nullable: true })
  async convention(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<ConventionEntity | undefined> {
    return context.loaders.load(conventionsById, assertUuid('id', id));
  }
}
