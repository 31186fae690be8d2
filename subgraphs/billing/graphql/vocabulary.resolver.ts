import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { DEFAULT_LANGUAGE } from '../../../schema/i18n/index.js';
import type { SubgraphContext } from '../../kit/context.js';
import { LANGUAGE_VALUE } from '../../kit/domain.js';
import { vocabulary } from '../services/vocabulary.service.js';
import { Vocabulary } from './vocabulary.type.js';

@Resolver(() => Vocabulary)
export class VocabularyResolver {
  @Query(() => Vocabulary, {
    description:
      "The label of every enum value (statuses, reasons, kinds…) in the caller's language, chosen by Accept-Language: a front end loads it once per language.",
  })
  vocabulary(
    @Ctx() context: SubgraphContext,
    @Arg('enums', () => [String], {
      nullable: true,
      description: 'Only these enums (e.g. ["PathwayStatus"]); all when omitted.',
    })
    enums?: string[] | null,
  ): Vocabulary {
    const language = context.language ?? DEFAULT_LANGUAGE;
    return { language: LANGUAGE_VALUE[language], enums: vocabulary(language, enums) };
  }
}
