/**
 * CSV as RFC 4180 writes it (a field with a comma, a quote or a line break is quoted, its quotes
 * doubled), and text made safe for a spreadsheet: a cell a spreadsheet would read as a formula
 * (leading `=`, `+`, `-`, `@`, or a tab or carriage return before one) is prefixed with an apostrophe,
 * so an export opened in Excel or LibreOffice shows the text and runs nothing (OWASP, CSV injection).
 * Only text is neutralised: a number's minus sign is a number's.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell a spreadsheet shows as written, never evaluates. */
export function spreadsheetText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
