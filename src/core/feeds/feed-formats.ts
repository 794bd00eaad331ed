/**
 * How items are written in one format. The engine writes whole batches synchronously, so a feed
 * is always a valid prefix of its final form, apart from the closing text written at close.
 */
export interface FeedFormat {
  /** Text written before the first item of an empty file (CSV header, JSON's opening bracket). */
  opening(fields: string[]): string;
  item(item: Record<string, unknown>, first: boolean, fields: string[]): string;
  /** Text written when the feed closes; removed again when a job resumes appending. */
  closing(empty: boolean): string;
}

const jsonLines: FeedFormat = {
  opening: () => '',
  item: (item) => JSON.stringify(item) + '\n',
  closing: () => '',
};

const json: FeedFormat = {
  opening: () => '[\n',
  item: (item, first) => (first ? '' : ',\n') + JSON.stringify(item),
  closing: (empty) => (empty ? ']\n' : '\n]\n'),
};

const csv: FeedFormat = {
  opening: (fields) => fields.map(csvCell).join(',') + '\r\n',
  item: (item, _first, fields) => fields.map((field) => csvCell(item[field])).join(',') + '\r\n',
  closing: () => '',
};

export const FEED_FORMATS: Record<string, FeedFormat> = {jsonl: jsonLines, jsonlines: jsonLines, jl: jsonLines, json, csv};

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = Array.isArray(value) ? value.join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
