import type {HeaderValue, Headers} from '../http/request.js';

/** Header names are case-insensitive; these helpers find a header whatever the case it was set with. */
export function headerName(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.keys(headers).find((key) => key.toLowerCase() === wanted);
}

export function hasHeader(headers: Headers, name: string): boolean {
  return headerName(headers, name) !== undefined;
}

/** Sets a header unless it is already there, as Scrapy's `headers.setdefault()`. */
export function setDefaultHeader(headers: Headers, name: string, value: HeaderValue): void {
  if (!hasHeader(headers, name)) headers[name] = value;
}

/** Removes every spelling of a header. Returns true when one was there. */
export function removeHeader(headers: Headers, name: string): boolean {
  let removed = false;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name.toLowerCase()) {
      delete headers[key];
      removed = true;
    }
  }
  return removed;
}

/** Every value of a header (Set-Cookie comes as several). */
export function headerValues(headers: Headers, name: string): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name.toLowerCase()) values.push(...(Array.isArray(value) ? value : [value]));
  }
  return values;
}
