import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DEFAULT_LANGUAGE } from '../../../schema/i18n/index.js';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { instrument, QuestionnaireService, wavesByParticipant } from '../services/questionnaire.service.js';
import { ParticipantReference } from './allocation.type.js';
import {
  CompleteQuestionnaireWaveInput,
  QuestionnaireInstrument,
  QuestionnaireWave,
  QuestionnaireWaveInput,
  SaveQuestionnaireAnswersInput,
} from './questionnaire.type.js';

@Resolver()
export class QuestionnaireResolver {
  @Query(() => QuestionnaireInstrument, {
    description:
      "The study's questionnaire (R12) in the caller's language (Accept-Language: fr, nl, en), as a FHIR R4 Questionnaire; the current version unless one is named.",
  })
  questionnaireInstrument(
    @Arg('version', () => String, { nullable: true }) version: string | null | undefined,
    @Ctx() context: SubgraphContext,
  ): QuestionnaireInstrument {
    const localised = instrument(context.language ?? DEFAULT_LANGUAGE, version);
    return {
      url: localised.url,
      version: localised.version,
      language: localised.language,
      title: localised.title,
      items: localised.items,
      fhirJson: JSON.stringify(localised.fhir),
    };
  }

  @Mutation(() => QuestionnaireWave, {
    description:
      'Opens a questionnaire wave within its window (R12): the person at home, or the partner at its computer — who never sees the answers.',
  })
  async openQuestionnaireWave(
    @Arg('input', () => QuestionnaireWaveInput) input: QuestionnaireWaveInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<QuestionnaireWave> {
    return new QuestionnaireService(context).open(input, idempotencyKey);
  }

  @Mutation(() => QuestionnaireWave, {
    description:
      'The person saves answers in an open wave as they go; each is checked against its item (type, options, bounds).',
  })
  async saveQuestionnaireAnswers(
    @Arg('input', () => SaveQuestionnaireAnswersInput) input: SaveQuestionnaireAnswersInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<QuestionnaireWave> {
    return new QuestionnaireService(context).save(input, idempotencyKey);
  }

  @Mutation(() => QuestionnaireWave, {
    description:
      "The person completes an open wave, once, every required item answered; the referent's reminder closes.",
  })
  async completeQuestionnaireWave(
    @Arg('input', () => CompleteQuestionnaireWaveInput) input: CompleteQuestionnaireWaveInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<QuestionnaireWave> {
    return new QuestionnaireService(context).complete(input, idempotencyKey);
  }
}

@Resolver(() => ParticipantReference)
export class ParticipantQuestionnaireResolver {
  @FieldResolver(() => [QuestionnaireWave], {
    description:
      "The person's questionnaire waves (R12), baseline to 30 months, with their state; empty until allocated. The answers are the person's alone.",
  })
  async questionnaireWaves(
    @Root() participant: ParticipantReference,
    @Ctx() context: SubgraphContext,
  ): Promise<QuestionnaireWave[]> {
    return (await context.loaders.load(wavesByParticipant, participant.id)) ?? [];
  }
}
