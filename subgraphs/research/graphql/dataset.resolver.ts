import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { CODEBOOK, extractColumns, PSEUDONYM } from '../services/codebook.js';
import { WAVE_KEY } from '../services/codebook-answers.js';
import { DatasetService, type DataRequestStatus } from '../services/dataset.service.js';
import {
  CodebookVariable,
  DataRequest,
  DataRequestStatusValue,
  DatasetDownload,
  DatasetFiles,
  DecideDataRequestInput,
  FileDataRequestInput,
} from './dataset.type.js';

/** The download paths, on the gateway's origin (gateway/datasets.ts). */
export const datasetPath = (requestId: string, file: string) => `/datasets/${requestId}.${file}`;

@Resolver(() => DataRequest)
export class DatasetResolver {
  @Query(() => [CodebookVariable], {
    description:
      'The codebook of the pseudonymised extracts (R19): every variable a data request may name, and the pseudonym.',
  })
  codebook(): CodebookVariable[] {
    // The answers file's wave key sits after the pseudonym: like it, in every answers file, never requested.
    return [PSEUDONYM, WAVE_KEY, ...CODEBOOK.filter((variable) => variable !== PSEUDONYM)].map((variable) => ({
      name: variable.name,
      type: variable.type,
      level: variable.level,
      labelFr: variable.label.fr,
      labelNl: variable.label.nl,
      labelEn: variable.label.en,
      values: (variable.values ?? []).map(({ value, label }) => ({
        value,
        labelFr: label.fr,
        labelNl: label.nl,
        labelEn: label.en,
      })),
      derivation: variable.derivation,
      always: variable === PSEUDONYM || variable === WAVE_KEY,
    }));
  }

  @Query(() => [DataRequest], { description: "Data requests, newest first: a researcher's own; INAMI's all." })
  async dataRequests(
    @Arg('status', () => DataRequestStatusValue, { nullable: true }) status: DataRequestStatus | null | undefined,
    @Ctx() context: SubgraphContext,
  ): Promise<DataRequest[]> {
    return new DatasetService(context).requests(status);
  }

  @Query(() => [DatasetDownload], {
    description: 'The download log of the extracts (R19), newest first; of one request when named.',
  })
  async datasetDownloads(
    @Arg('requestId', () => ID, { nullable: true }) requestId: string | null | undefined,
    @Ctx() context: SubgraphContext,
  ): Promise<DatasetDownload[]> {
    return new DatasetService(context).downloads(requestId);
  }

  @Mutation(() => DataRequest, {
    description: 'A researcher asks for a pseudonymised extract: project, purpose, variables of the codebook (R19).',
  })
  async fileDataRequest(
    @Arg('input', () => FileDataRequestInput) input: FileDataRequestInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<DataRequest> {
    return new DatasetService(context).file(input, idempotencyKey);
  }

  @Mutation(() => DataRequest, {
    description: 'INAMI approves or refuses a data request, once, with a reason (required to refuse).',
  })
  async decideDataRequest(
    @Arg('input', () => DecideDataRequestInput) input: DecideDataRequestInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<DataRequest> {
    return new DatasetService(context).decide(input, idempotencyKey);
  }

  @FieldResolver(() => DatasetFiles, { nullable: true })
  files(@Root() request: DataRequest): DatasetFiles | null {
    if (request.status !== 'APPROVED') return null;
    const answers = extractColumns(request.variables).some((variable) => variable.level === 'PERSON_WAVE');
    return {
      csv: datasetPath(request.id, 'csv'),
      parquet: datasetPath(request.id, 'parquet'),
      codebook: datasetPath(request.id, 'codebook.json'),
      answersCsv: answers ? datasetPath(request.id, 'answers.csv') : null,
      answersParquet: answers ? datasetPath(request.id, 'answers.parquet') : null,
      dictionary: datasetPath(request.id, 'dictionary.csv'),
      labelsR: datasetPath(request.id, 'labels.R'),
      labelsStata: datasetPath(request.id, 'labels.do'),
      labelsSpss: datasetPath(request.id, 'labels.sps'),
    };
  }
}
