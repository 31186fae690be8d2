/**
 * What an analyst opens the extract's CSV files with (R19), generated from the extract's own
 * codebook (so labels, codes and coarsening are those of the files served beside them):
 * - a data dictionary in REDCap's format (its 18 columns, one row per variable, the form being the
 *   file's level), the format most trial data managers already read and import;
 * - label scripts, as REDCap's export gives them: R (base R only: coded columns become factors whose
 *   labels are the value labels, every column carries its label in attr(, "label")), Stata (.do:
 *   each coded column encoded to numbers with a value label; booleans 1/0 labelled Yes/No) and
 *   SPSS (.sps: GET DATA with each column's format, VARIABLE LABELS, VALUE LABELS on the codes).
 * Labels in the caller's language (English, French or Dutch: the codebook.json carries all three); every
 * string literal is escaped for its tool, and kept to ASCII in R (non-ASCII as \u escapes) so it reads in any locale.
 */
import type { Language } from '../../../schema/i18n/index.js';
import type { Labels, VariableLevel, VariableType } from './codebook.js';

export interface ScriptVariable {
  name: string;
  type: VariableType;
  level: VariableLevel;
  label: Labels;
  values: readonly { value: string; label: Labels }[];
  derivation: string;
  /** What the disclosure control did to the column, if anything. */
  coarsening?: string;
}

export interface ScriptFile {
  /** The file's name as served (content-disposition): the scripts read it from the working folder. */
  fileName: string;
  /** The data frame / dataset it becomes. */
  dataset: string;
  columns: readonly ScriptVariable[];
}

const BOOLEAN_LABELS = [
  { value: 'true', label: { fr: 'Oui', nl: 'Ja', en: 'Yes' } },
  { value: 'false', label: { fr: 'Non', nl: 'Nee', en: 'No' } },
] as const;

/** A column's value labels: its codebook's, or Yes/No for a boolean. */
export const valueLabelsOf = (column: ScriptVariable) =>
  column.values.length > 0 ? column.values : column.type === 'BOOLEAN' ? BOOLEAN_LABELS : [];
const coded = (column: ScriptVariable) => column.type === 'STRING' && column.values.length > 0;

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

// ---------------------------------------------------------------- REDCap data dictionary
export const DICTIONARY_HEADER = [
  'Variable / Field Name',
  'Form Name',
  'Section Header',
  'Field Type',
  'Field Label',
  'Choices, Calculations, OR Slider Labels',
  'Field Note',
  'Text Validation Type OR Show Slider Number',
  'Text Validation Min',
  'Text Validation Max',
  'Identifier?',
  'Branching Logic (Show field only if...)',
  'Required Field?',
  'Custom Alignment',
  'Question Number (surveys only)',
  'Matrix Group Name',
  'Matrix Ranking?',
  'Field Annotation',
] as const;

const FORM: Record<VariableLevel, string> = {
  PERSON: 'person',
  PERSON_MONTH: 'person_month',
  PERSON_WAVE: 'person_wave',
};

export function dictionaryCsv(files: readonly ScriptFile[], language: Language = 'en'): string {
  const lines = [DICTIONARY_HEADER.map(csvCell).join(',')];
  const seen = new Set<string>();
  for (const file of files) {
    for (const column of file.columns) {
      if (seen.has(column.name)) continue; // the keys repeat in each file: one row each
      seen.add(column.name);
      const labels = valueLabelsOf(column);
      const dropdown = labels.length > 0 && column.type !== 'INTEGER' && column.type !== 'DOUBLE';
      const validation = column.type === 'INTEGER' ? 'integer' : column.type === 'DOUBLE' ? 'number' : '';
      const row = [
        column.name,
        FORM[column.level],
        '',
        dropdown ? 'dropdown' : 'text',
        column.label[language],
        dropdown || labels.length > 0
          ? labels.map(({ value, label }) => `${value}, ${label[language].replaceAll('|', '/')}`).join(' | ')
          : '',
        column.derivation,
        dropdown ? '' : validation,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        [
          `type=${column.type}`,
          `file=${file.fileName}`,
          ...(column.coarsening ? [`coarsened: ${column.coarsening}`] : []),
        ].join('; '),
      ];
      lines.push(row.map(csvCell).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------- R
/** An R string literal: double-quoted, ASCII only (\uXXXX for the rest). */
export function rString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code > 0x7e)
      out += code > 0xffff ? `\\U{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}
const R_CLASS: Record<VariableType, string> = {
  STRING: 'character',
  INTEGER: 'integer',
  DOUBLE: 'numeric',
  BOOLEAN: 'logical',
};
const rVector = (items: readonly string[]) => `c(${items.join(', ')})`;

export function rScript(files: readonly ScriptFile[], heading: string, language: Language = 'en'): string {
  const lines = [
    `# ${heading}`,
    "# R label script, generated from the extract's codebook: run it in the folder holding the CSV files",
    '# (or set ips_dir first). Coded columns become factors labelled with their value labels; every',
    '# column carries its label in attr(x, "label"). Base R only.',
    'if (!exists("ips_dir")) ips_dir <- "."',
    'ips_read <- function(file, classes) utils::read.csv(file.path(ips_dir, file), colClasses = classes, na.strings = "", encoding = "UTF-8", check.names = FALSE, stringsAsFactors = FALSE)',
  ];
  for (const file of files) {
    const frame = file.dataset;
    lines.push(
      '',
      `${frame} <- ips_read(${rString(file.fileName)}, ${rVector(file.columns.map((c) => `${c.name} = ${rString(R_CLASS[c.type])}`))})`,
    );
    for (const column of file.columns) {
      const ref = `${frame}[[${rString(column.name)}]]`;
      if (coded(column)) {
        lines.push(
          `${ref} <- factor(${ref}, levels = ${rVector(column.values.map((v) => rString(v.value)))}, labels = ${rVector(column.values.map((v) => rString(v.label[language])))})`,
        );
      }
      lines.push(`attr(${ref}, "label") <- ${rString(column.label[language])}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------- Stata
/** A Stata compound-quoted string (any character but a line break inside; `"…"'). */
export function stataString(text: string, max = 80): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  return `\`"${[...clean].slice(0, max).join('')}"'`;
}
const stataLabelName = (name: string) => `l_${name}`.slice(0, 32);

export function stataScript(files: readonly ScriptFile[], heading: string, language: Language = 'en'): string {
  const lines = [
    `* ${heading}`,
    "* Stata label script, generated from the extract's codebook: run it in the folder holding the CSV files.",
    '* Every column is read as text, then numbers destrung, booleans made 1/0 (Yes/No), coded columns encoded',
    "* to 1, 2, ... in the codebook's order with their value labels; each file is saved as a .dta beside it.",
    'version 14',
    'label define yes_no 1 `"Yes"\' 0 `"No"\', replace',
  ];
  for (const file of files) {
    lines.push(
      '',
      `import delimited using ${stataString(file.fileName, 1000)}, varnames(1) stringcols(_all) encoding("utf-8") bindquote(strict) clear`,
    );
    for (const column of file.columns) {
      const name = column.name;
      if (column.type === 'INTEGER' || column.type === 'DOUBLE') {
        lines.push(`destring ${name}, replace`);
        if (column.values.length > 0) {
          lines.push(
            `label define ${stataLabelName(name)} ${column.values.map((v) => `${Number(v.value)} ${stataString(v.label[language])}`).join(' ')}, replace`,
          );
          lines.push(`label values ${name} ${stataLabelName(name)}`);
        }
      } else if (column.type === 'BOOLEAN') {
        lines.push(
          `generate byte ips__v = cond(${name} == "true", 1, cond(${name} == "false", 0, .))`,
          `drop ${name}`,
          `rename ips__v ${name}`,
          `label values ${name} yes_no`,
        );
      } else if (coded(column)) {
        lines.push(
          `label define ${stataLabelName(name)} ${column.values.map((v, i) => `${i + 1} ${stataString(v.label[language])}`).join(' ')}, replace`,
        );
        lines.push('generate int ips__v = .');
        column.values.forEach((v, i) => lines.push(`replace ips__v = ${i + 1} if ${name} == ${stataString(v.value)}`));
        lines.push(`drop ${name}`, `rename ips__v ${name}`, `label values ${name} ${stataLabelName(name)}`);
      }
      lines.push(`label variable ${name} ${stataString(column.label[language])}`);
    }
    lines.push(
      `order ${file.columns.map((c) => c.name).join(' ')}`,
      `save ${stataString(file.fileName.replace(/\.csv$/, '.dta'), 1000)}, replace`,
    );
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------- SPSS
/** An SPSS string literal: single-quoted, a quote doubled. */
export function spssString(text: string, max = 250): string {
  const clean = [...text.replace(/[\r\n]+/g, ' ')].slice(0, max).join('');
  return `'${clean.replaceAll("'", "''")}'`;
}
const SPSS_FORMAT: Record<VariableType, string> = { STRING: 'A64', INTEGER: 'F12.0', DOUBLE: 'F16.4', BOOLEAN: 'A5' };

export function spssScript(files: readonly ScriptFile[], heading: string, language: Language = 'en'): string {
  const lines = [
    `* ${heading}.`,
    "* SPSS label script, generated from the extract's codebook: run it in the folder holding the CSV files.",
  ];
  for (const file of files) {
    lines.push(
      '',
      'GET DATA /TYPE=TXT',
      `  /FILE=${spssString(file.fileName, 1000)}`,
      "  /ENCODING='UTF8'",
      '  /DELCASE=LINE',
      '  /DELIMITERS=","',
      `  /QUALIFIER='"'`,
      '  /ARRANGEMENT=DELIMITED',
      '  /FIRSTCASE=2',
      '  /VARIABLES=',
      ...file.columns.map((c) => `    ${c.name} ${SPSS_FORMAT[c.type]}`),
      '.',
      `DATASET NAME ${file.dataset} WINDOW=FRONT.`,
      'VARIABLE LABELS',
      ...file.columns.map((c, i) => `  ${i === 0 ? '' : '/'}${c.name} ${spssString(c.label[language])}`),
      '.',
    );
    const labelled = file.columns.filter((c) => valueLabelsOf(c).length > 0);
    if (labelled.length > 0) {
      lines.push('VALUE LABELS');
      labelled.forEach((c, i) => {
        const numeric = c.type === 'INTEGER' || c.type === 'DOUBLE';
        const pairs = valueLabelsOf(c).map(
          (v) => `${numeric ? Number(v.value) : spssString(v.value)} ${spssString(v.label[language])}`,
        );
        lines.push(`  ${i === 0 ? '' : '/'}${c.name} ${pairs.join(' ')}`);
      });
      lines.push('.');
    }
    lines.push('EXECUTE.');
  }
  return `${lines.join('\n')}\n`;
}
