/**
 * Reading an extract's CSV (RFC 4180 as extract-writer.ts writes it: a header row, CRLF rows,
 * fields quoted when needed with doubled quotes, an empty field for a missing value).
 */

/** The rows of a CSV text, each a list of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      row.push(field);
      rows.push(row);
      ((row = []), (field = ''));
      if (c === '\r') i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** The CSV as records keyed by the header's names; an empty cell is null. */
export function csvRecords(text: string): { columns: string[]; rows: Record<string, string | null>[] } {
  const [header = [], ...lines] = parseCsv(text.replace(/^\uFEFF/, ''));
  return {
    columns: header,
    rows: lines.map((cells) =>
      Object.fromEntries(header.map((name, i) => [name, cells[i] === '' || cells[i] === undefined ? null : cells[i]])),
    ),
  };
}
