import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EntryKey } from '../../kit/input-guard.js';
import { QuestionnaireWaveState, QuestionnaireWhere } from '../entities/questionnaire-wave.entity.js';
import type { AnswerView, WaveView } from '../services/questionnaire.service.js';

export { QuestionnaireWaveState };
import type { InstrumentItem } from '../instrument/instrument.js';

registerEnumType(QuestionnaireWaveState, {
  name: 'QuestionnaireWaveState',
  description:
    "A questionnaire wave's state (R12): scheduled (window not open yet), due (window open, not started), open (started), completed, missed (window closed without completion).",
});
registerEnumType(QuestionnaireWhere, {
  name: 'QuestionnaireWhere',
  description: "Where a wave was opened (R12): by the person at home, or at the partner's computer.",
});

export const QuestionnaireItemType = { CHOICE: 'CHOICE', INTEGER: 'INTEGER', BOOLEAN: 'BOOLEAN' } as const satisfies {
  [K in InstrumentItem['type']]: K;
};
registerEnumType(QuestionnaireItemType, {
  name: 'QuestionnaireItemType',
  description: "An item's answer type: FHIR Questionnaire item types choice, integer, boolean.",
});

@ObjectType({ description: "A coded answer option of a choice item, in the caller's language." })
export class QuestionnaireAnswerOption {
  @Field({ description: 'The code stored as the answer (valueCode).' })
  code!: string;

  @Field()
  display!: string;
}

@ObjectType({ description: "An item of the questionnaire, in the caller's language (FHIR Questionnaire.item)." })
export class QuestionnaireItem {
  @Field({ description: "The item's stable id: answers name it." })
  linkId!: string;

  @Field()
  text!: string;

  @Field(() => QuestionnaireItemType)
  type!: InstrumentItem['type'];

  @Field({ description: 'Whether completing a wave needs an answer to it.' })
  required!: boolean;

  @Field(() => Int, { nullable: true, description: 'INTEGER items: the smallest answer.' })
  minValue?: number | null;

  @Field(() => Int, { nullable: true, description: 'INTEGER items: the largest answer.' })
  maxValue?: number | null;

  @Field(() => [QuestionnaireAnswerOption], { description: 'CHOICE items: the options, in order; empty otherwise.' })
  options!: QuestionnaireAnswerOption[];
}

@ObjectType({
  description:
    "The study's questionnaire (R12) in the caller's language (Accept-Language): a FHIR R4 Questionnaire, versioned.",
})
export class QuestionnaireInstrument {
  @Field({ description: 'The canonical url of the FHIR Questionnaire.' })
  url!: string;

  @Field({ description: 'Questionnaire.version: each wave records the version it was answered on.' })
  version!: string;

  @Field({ description: 'The language of the texts below: en, fr or nl.' })
  language!: string;

  @Field()
  title!: string;

  @Field(() => [QuestionnaireItem])
  items!: QuestionnaireItem[];

  @Field({
    description: 'The FHIR R4 Questionnaire resource itself (JSON), every language in it (translation extension).',
  })
  fhirJson!: string;
}

@ObjectType({
  description:
    "One of the person's answers in a wave: the item's linkId and the value of its type (research data, R19).",
})
export class QuestionnaireAnswer implements AnswerView {
  participantId!: string;

  @Field()
  linkId!: string;

  @Field(() => String, { nullable: true, description: "CHOICE items: the option's code." })
  valueCode?: string | null;

  @Field(() => Int, { nullable: true })
  valueInteger?: number | null;

  @Field(() => Boolean, { nullable: true })
  valueBoolean?: boolean | null;
}

@ObjectType({
  description:
    'A questionnaire wave of a participant (R12): baseline at allocation, then every six months up to 30 months, in both arms.',
})
export class QuestionnaireWave implements WaveView {
  participantId!: string;

  @Field(() => Int, { description: '0 = baseline (allocation), 1…5 = 6…30 months.' })
  wave!: number;

  @Field(() => GraphQLLocalDate, { description: 'Allocation day + 6 × wave months (Brussels).' })
  dueOn!: string;

  @Field(() => GraphQLLocalDate, { description: 'The window opens 14 days before the due date…' })
  windowOpensOn!: string;

  @Field(() => GraphQLLocalDate, { description: '…and closes 8 weeks after it.' })
  windowClosesOn!: string;

  @Field(() => QuestionnaireWaveState)
  state!: QuestionnaireWaveState;

  @Field(() => QuestionnaireWhere, {
    nullable: true,
    description: "Where it was last opened: at home or at the partner's computer; null until opened.",
  })
  openedWhere?: QuestionnaireWhere | null;

  @Field(() => String, {
    nullable: true,
    description: 'The questionnaire version it is answered on; null until opened.',
  })
  instrumentVersion?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true })
  completedOn?: string | null;

  @Field(() => [QuestionnaireAnswer], {
    description: 'The answers saved so far (research data: the person alone reads them).',
  })
  answers!: QuestionnaireAnswer[];
}

@InputType({ description: 'A wave of a participant.' })
export class QuestionnaireWaveInput {
  @Field(() => ID)
  participantId!: string;

  @Field(() => Int, { description: '0 (baseline) to 5.' })
  wave!: number;
}

@InputType({ description: "An answer: the item's linkId and exactly one value, of the item's type." })
@EntryKey('linkId') // one answer per question
export class QuestionnaireAnswerInput {
  @Field()
  linkId!: string;

  @Field(() => String, { nullable: true })
  valueCode?: string | null;

  @Field(() => Int, { nullable: true })
  valueInteger?: number | null;

  @Field(() => Boolean, { nullable: true })
  valueBoolean?: boolean | null;
}

@InputType({
  description: 'Answers to save in an open wave, as the person goes: each replaces an earlier answer to its item.',
})
export class SaveQuestionnaireAnswersInput {
  @Field(() => ID)
  participantId!: string;

  @Field(() => Int)
  wave!: number;

  @Field(() => [QuestionnaireAnswerInput])
  answers!: QuestionnaireAnswerInput[];
}

@InputType({
  description: 'Completes an open wave, once: every required item answered (with the answers given here, if any).',
})
export class CompleteQuestionnaireWaveInput {
  @Field(() => ID)
  participantId!: string;

  @Field(() => Int)
  wave!: number;

  @Field(() => [QuestionnaireAnswerInput], { nullable: true, description: 'Last answers, saved before completing.' })
  answers?: QuestionnaireAnswerInput[] | null;
}
