/**
 * Splits CSV text into rows of fields (RFC 4180, as Python's csv reader reads it): fields separated
 * by `delimiter`, a field in `quotechar` may hold delimiters, newlines and doubled quote characters,
 * rows end at LF or CRLF. A blank line is an empty row.
 */
export function csvRows(text: string, delimiter = ',', quotechar = '"'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (quoted) {
      if (char === quotechar) {
        if (text[index + 1] === quotechar) {
          field += quotechar;
          index += 2;
          continue;
        }
        quoted = false;
      } else {
        field += char;
      }
      index += 1;
      continue;
    }
    if (char === quotechar && field === '') {
      quoted = true;
    } else if (char === delimiter) {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (char === '\r' && text[index + 1] === '\n') index += 1;
    } else {
      field += char;
    }
    index += 1;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
