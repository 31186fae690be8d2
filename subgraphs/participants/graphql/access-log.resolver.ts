import { Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { verifyAccessLog } from '../../kit/access/access-log.js';
import type { SubgraphContext } from '../../kit/context.js';

@ObjectType({
  description: 'Whether the access log is as it was written: its hash chain recomputed, row by row, in the database.',
})
export class AccessLogIntegrity {
  @Field(() => Int, { description: 'Rows in the log.' })
  rows!: number;

  @Field({
    description:
      'True when every row still matches its hash, links to its predecessor, and the chain ends where its head says.',
  })
  intact!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'The first chain number where a row was changed, removed or slipped in; null when intact.',
  })
  firstBrokenSeq?: number | null;
}

@Resolver()
export class AccessLogResolver {
  @Query(() => AccessLogIntegrity, {
    nullable: true,
    description: 'INAMI checks that no one, not even an administrator of the database, altered the access log unseen.',
  })
  async accessLogIntegrity(@Ctx() context: SubgraphContext): Promise<AccessLogIntegrity> {
    return verifyAccessLog(context);
  }
}
