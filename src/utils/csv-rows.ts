/** One CSV record and the physical line it ends on (1-based, as Python's csv reader's line_num). */
export interface CsvRow {
  fields: string[];
  line: number;
}

/**
 * Splits CSV text into records (RFC 4180, as Python's csv reader reads it): fields separated by
 * `delimiter`, a field in `quotechar` may hold delimiters, newlines and doubled quote characters,
 * records end at LF, CRLF or CR. A blank line is a record of no fields; `""` is one empty field.
 */
export function csvRows(text: string, delimiter = ',', quotechar = '"'): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let fieldStarted = false;
  let quoted = false;
  let line = 1;
  const endRecord = (): void => {
    if (fieldStarted || fields.length > 0) fields.push(field);
    rows.push({fields, line});
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (char === '\n' || char === '\r') {
      const crlf = char === '\r' && text[index + 1] === '\n';
      if (crlf) index += 1;
      // A newline inside quotes is part of the field, as written.
      if (quoted) field += crlf ? '\r\n' : char;
      else endRecord();
      line += 1;
      continue;
    }
    if (quoted) {
      if (char !== quotechar) field += char;
      else if (text[index + 1] === quotechar) {
        field += quotechar;
        index += 1;
      } else quoted = false;
      continue;
    }
    if (char === quotechar && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (char === delimiter) {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else {
      field += char;
      fieldStarted = true;
    }
  }
  if (fieldStarted || fields.length > 0) {
    fields.push(field);
    rows.push({fields, line});
  }
  return rows;
}
