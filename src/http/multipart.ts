import {createHash} from 'node:crypto';
import {encodeText, outputEncoding} from '../utils/encode-text.js';
import type {FormPair} from './url-encode.js';

/**
 * A multipart/form-data body (RFC 7578), as a browser sends a form with that enctype: one part per
 * field, names and values in `encoding`. The boundary is derived from the content rather than
 * random, so the same form data gives the same request (one fingerprint, one entry for the
 * duplicates filter), and is checked not to occur in it.
 */
export function multipartBody(pairs: FormPair[], encoding: string): {body: Buffer; contentType: string} {
  const output = outputEncoding(encoding);
  const parts = pairs.map(([name, value]) => ({name: encodeText(escapeName(name), output, {errors: 'strict'}), value: encodeText(value, output, {errors: 'strict'})}));
  const boundary = boundaryFor(parts.flatMap((part) => [part.name, part.value]));
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="`), part.name, Buffer.from('"\r\n\r\n'), part.value, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}`};
}

/** The HTML standard escapes these three in a part's name: a quote would end it, a line break the header. */
function escapeName(name: string): string {
  return name.replace(/[\n\r"]/g, (char) => ({'\n': '%0A', '\r': '%0D', '"': '%22'})[char]!);
}

function boundaryFor(contents: Buffer[]): string {
  const hash = createHash('sha256');
  for (const content of contents) hash.update(content).update('\0');
  const digest = hash.digest('hex');
  // 2^-64 odds per part that a content holds the boundary; a bounded search for one that is absent anyway.
  for (let at = 0; at + 24 <= digest.length; at += 1) {
    const boundary = `----DraglineFormBoundary${digest.slice(at, at + 24)}`;
    if (!contents.some((content) => content.includes(boundary))) return boundary;
  }
  return `----DraglineFormBoundary${digest}`;
}
