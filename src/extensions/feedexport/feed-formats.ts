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

/**
 * Scrapy's XmlItemExporter with FEED_EXPORT_INDENT 0: one `<item>` a line inside `<items>`, a field
 * as an element, a list as `<value>` elements, an object as nested elements.
 */
const xml: FeedFormat = {
  opening: () => '<?xml version="1.0" encoding="utf-8"?>\n<items>\n',
  item: (item) => `<item>${xmlFields(item)}</item>\n`,
  closing: () => '</items>',
};

export const FEED_FORMATS: Record<string, FeedFormat> = {jsonl: jsonLines, jsonlines: jsonLines, jl: jsonLines, json, csv, xml};

function xmlFields(fields: Record<string, unknown>): string {
  let text = '';
  for (const [name, value] of Object.entries(fields)) text += `<${name}>${xmlValue(value)}</${name}>`;
  return text;
}

function xmlValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((entry) => `<value>${xmlValue(entry)}</value>`).join('');
  if (value instanceof Map) return xmlFields(Object.fromEntries(value));
  if (typeof value === 'object' && !(value instanceof Date)) return xmlFields(value as Record<string, unknown>);
  return escapeXml(value instanceof Date ? value.toISOString() : String(value));
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = Array.isArray(value) ? value.join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
