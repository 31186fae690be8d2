import { Field, ObjectType } from 'type-graphql';
import { LanguageValue } from '../../kit/domain.js';

export { LanguageValue };

@ObjectType({ description: "One value of an enum and its label in the caller's language." })
export class EnumValueLabel {
  @Field({ description: 'The value, as the graph returns it (e.g. OPEN).' })
  value!: string;

  @Field({ description: 'What a person reads (e.g. En cours, Lopend, Open).' })
  label!: string;
}

@ObjectType({ description: 'An enum of the graph with the label of each of its values.' })
export class EnumVocabulary {
  @Field({ description: "The enum's GraphQL name, e.g. PathwayStatus." })
  name!: string;

  @Field(() => [EnumValueLabel])
  values!: EnumValueLabel[];
}

@ObjectType({
  description:
    "The labels a front end shows for the graph's codes, in the caller's language (Accept-Language: fr, nl or en).",
})
export class Vocabulary {
  @Field(() => LanguageValue, { description: 'The language the labels are in, as negotiated from Accept-Language.' })
  language!: LanguageValue;

  @Field(() => [EnumVocabulary])
  enums!: EnumVocabulary[];
}
