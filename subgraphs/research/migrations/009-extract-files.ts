import { Migration } from '@mikro-orm/migrations';

/**
 * An extract is served as several files (R19): the person or person-month file, the questionnaire
 * answers per person and wave, the codebook, a data dictionary (REDCap's format) and the label
 * scripts for R, Stata and SPSS. Every one of them is logged as it is downloaded, with its format.
 */
export class ExtractFiles extends Migration {
  override name = '009-extract-files';

  override up(): void {
    this.addSql(`alter table "research"."dataset_download" drop constraint "dataset_download_format_check";`);
    this.addSql(`alter table "research"."dataset_download" add constraint "dataset_download_format_check"
      check ("format" in ('CSV', 'PARQUET', 'CODEBOOK', 'ANSWERS_CSV', 'ANSWERS_PARQUET', 'DICTIONARY', 'LABELS_R', 'LABELS_STATA', 'LABELS_SPSS'));`);
  }
}
