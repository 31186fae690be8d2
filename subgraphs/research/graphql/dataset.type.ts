import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { DataCategory } from '../../../schema/policy.js';
import { DataCategoryValue } from '../../kit/domain.js';
import type { VariableLevel, VariableType } from '../services/codebook.js';
import type { DataRequestDecision, DataRequestStatus } from '../services/dataset.service.js';

export const DataRequestStatusValue = {
  PENDING: 'PENDING',
  APPROVED: 'APPROVED',
  REFUSED: 'REFUSED',
} as const satisfies { [K in DataRequestStatus]: K };
registerEnumType(DataRequestStatusValue, {
  name: 'DataRequestStatus',
  description: "A data request's state (R19): waiting for INAMI, then approved or refused, once.",
});
export const DataRequestDecisionValue = { APPROVE: 'APPROVE', REFUSE: 'REFUSE' } as const satisfies {
  [K in DataRequestDecision]: K;
};
registerEnumType(DataRequestDecisionValue, {
  name: 'DataRequestDecision',
  description: "INAMI's decision on a data request.",
});
export const CodebookVariableTypeValue = {
  STRING: 'STRING',
  INTEGER: 'INTEGER',
  DOUBLE: 'DOUBLE',
  BOOLEAN: 'BOOLEAN',
} as const satisfies { [K in VariableType]: K };
registerEnumType(CodebookVariableTypeValue, {
  name: 'CodebookVariableType',
  description:
    'The type of a column of the extract: CSV text, and the Parquet column type (UTF8, INT32, DOUBLE, BOOLEAN).',
});
export const CodebookVariableLevelValue = {
  PERSON: 'PERSON',
  PERSON_MONTH: 'PERSON_MONTH',
  PERSON_WAVE: 'PERSON_WAVE',
} as const satisfies { [K in VariableLevel]: K };
registerEnumType(CodebookVariableLevelValue, {
  name: 'CodebookVariableLevel',
  description:
    'One row per person, or per person and month (the main file is per person and month when any requested variable is), or per person and questionnaire wave (the answers file).',
});

@ObjectType({ description: 'A value of a coded variable and its label in French, Dutch and English.' })
export class CodebookValueLabel {
  @Field()
  value!: string;

  @Field()
  labelFr!: string;

  @Field()
  labelNl!: string;

  @Field()
  labelEn!: string;
}

@ObjectType({
  description:
    'A variable of the pseudonymised extracts (R19): the codebook served beside each file lists every column the same way.',
})
export class CodebookVariable {
  @Field({ description: 'The column name in the file.' })
  name!: string;

  @Field(() => CodebookVariableTypeValue)
  type!: VariableType;

  @Field(() => CodebookVariableLevelValue)
  level!: VariableLevel;

  @Field()
  labelFr!: string;

  @Field()
  labelNl!: string;

  @Field()
  labelEn!: string;

  @Field(() => [CodebookValueLabel], { description: 'The codes a coded variable takes; empty for others.' })
  values!: CodebookValueLabel[];

  @Field({ description: "How the variable is derived from the platform's data." })
  derivation!: string;

  @Field({ description: 'True for the pseudonym: in every extract, never requested.' })
  always!: boolean;
}

@ObjectType({
  description:
    "Where an approved request's files are downloaded from (the gateway's origin; the caller's bearer token, as for the graph).",
})
export class DatasetFiles {
  @Field()
  csv!: string;

  @Field()
  parquet!: string;

  @Field()
  codebook!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The questionnaire answers, one row per person and wave (CSV), when the request names any answer variable.',
  })
  answersCsv?: string | null;

  @Field(() => String, { nullable: true, description: 'The same answers as Parquet.' })
  answersParquet?: string | null;

  @Field({ description: "The data dictionary in REDCap's format (CSV)." })
  dictionary!: string;

  @Field({ description: 'R script loading the CSV files with their labels (coded columns as labelled factors).' })
  labelsR!: string;

  @Field({ description: 'Stata .do file loading the CSV files with variable and value labels.' })
  labelsStata!: string;

  @Field({ description: 'SPSS syntax loading the CSV files with variable and value labels.' })
  labelsSpss!: string;
}

@ObjectType({
  description: "A researcher's request for a pseudonymised extract (R19), and INAMI's decision. No participant in it.",
})
export class DataRequest {
  @Field(() => ID)
  id!: string;

  @Field({
    description: "The research project's code: pseudonyms are stable within a project and differ across projects.",
  })
  project!: string;

  @Field({ description: 'Why the data are needed (free text, shown under purposeCategory).' })
  purpose!: string;

  @Field(() => DataCategoryValue, {
    description: 'The category the researcher declared for the purpose (FREE_TEXT_CATEGORIES).',
  })
  purposeCategory!: DataCategory;

  @Field(() => [String], {
    description: 'The variables asked for (codebook names); the extract holds them and the pseudonym.',
  })
  variables!: string[];

  @Field(() => DataRequestStatusValue)
  status!: DataRequestStatus;

  @Field({ description: 'The researcher who filed it (staff subject).' })
  requester!: string;

  @Field({ description: "The researcher's organisation." })
  requesterOrganisation!: string;

  @Field()
  filedAt!: Date;

  @Field(() => String, { nullable: true, description: 'The INAMI agent who decided.' })
  decidedBy?: string | null;

  @Field(() => Date, { nullable: true })
  decidedAt?: Date | null;

  @Field(() => String, { nullable: true, description: "INAMI's reason (required for a refusal)." })
  decisionReason?: string | null;

  @Field(() => DatasetFiles, { nullable: true, description: 'The files, once approved.' })
  files?: DatasetFiles | null;
}

@ObjectType({
  description:
    'One download of an extract or its codebook (R19): who, which request, format, rows and the SHA-256 of the bytes sent.',
})
export class DatasetDownload {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  requestId!: string;

  @Field({ description: 'The caller: role:organisation/subject.' })
  downloadedBy!: string;

  @Field({
    description:
      'CSV, PARQUET, ANSWERS_CSV, ANSWERS_PARQUET, CODEBOOK, DICTIONARY, LABELS_R, LABELS_STATA or LABELS_SPSS.',
  })
  format!: string;

  @Field(() => Int, { description: 'Rows sent (columns, for a codebook, dictionary or label script).' })
  rows!: number;

  @Field(() => Int)
  bytes!: number;

  @Field({ description: 'SHA-256 (hex) of the bytes sent.' })
  sha256!: string;

  @Field({ description: 'False when the transfer was cut off: rows, bytes and hash are then of what was sent.' })
  complete!: boolean;

  @Field()
  startedAt!: Date;

  @Field()
  finishedAt!: Date;
}

@InputType({ description: 'A request for a pseudonymised extract.' })
export class FileDataRequestInput {
  @Field({ description: 'The project code (2–40 capital letters, digits, dashes).' })
  project!: string;

  @Field({ description: 'Why the data are needed (10–5000 characters).' })
  purpose!: string;

  @Field(() => DataCategoryValue, {
    nullable: true,
    description: "The purpose's category (FREE_TEXT_CATEGORIES); administrative when absent.",
  })
  purposeCategory?: DataCategoryValue | null;

  @Field(() => [String], { description: 'Variables of the codebook, each once (the pseudonym is always included).' })
  variables!: string[];
}

@InputType({ description: "INAMI's decision on a data request." })
export class DecideDataRequestInput {
  @Field(() => ID)
  requestId!: string;

  @Field(() => DataRequestDecisionValue)
  decision!: DataRequestDecision;

  @Field(() => String, { nullable: true, description: 'Required for a refusal.' })
  reason?: string | null;
}
