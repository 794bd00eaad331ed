import {extname} from 'node:path';
import {DraglineError} from '../core/errors.js';

/** Output formats accepted after a colon (`-o items:jsonl`) and what each is exported as. */
const FORMATS: Record<string, string> = {json: 'json', jsonl: 'jsonl', jsonlines: 'jsonl', jl: 'jsonl', csv: 'csv', xml: 'xml'};

export interface FeedOptions {
  format: string;
  overwrite?: true;
}

/**
 * Turns `-o FILE[:FORMAT]` (append) or `-O FILE[:FORMAT]` (overwrite) into FEEDS entries, as
 * Scrapy's feed_process_params_from_cli: the format comes from a `:FORMAT` suffix (split at the
 * last colon, and only when it names a format, so `C:\out.json` keeps its drive) or else from the
 * file extension; `-` means standard output.
 */
export function feedsFromOptions(append: readonly string[] | undefined, overwrite: readonly string[] | undefined): Record<string, FeedOptions> {
  const appendList = append ?? [];
  const overwriteList = overwrite ?? [];
  if (appendList.length > 0 && overwriteList.length > 0) {
    throw new DraglineError('BAD_ARGUMENT', 'Please use only one of -o/--output and -O/--overwrite-output');
  }
  const feeds: Record<string, FeedOptions> = {};
  for (const element of overwriteList.length > 0 ? overwriteList : appendList) {
    const {uri, format} = splitFeedOption(element);
    feeds[uri] = overwriteList.length > 0 ? {format, overwrite: true} : {format};
  }
  return feeds;
}

function splitFeedOption(element: string): {uri: string; format: string} {
  const colon = element.lastIndexOf(':');
  if (colon > 0) {
    const suffix = element.slice(colon + 1);
    const format = FORMATS[suffix.toLowerCase()];
    if (format !== undefined) {
      const uri = element.slice(0, colon);
      return {uri: uri === '-' ? 'stdout:' : uri, format};
    }
  }
  const extension = extname(element).slice(1);
  const format = FORMATS[extension.toLowerCase()];
  if (format === undefined) {
    const suffix = colon > 0 ? element.slice(colon + 1) : '';
    throw unrecognized(colon > 0 && !/[\\/.]/.test(suffix) ? suffix : extension);
  }
  return {uri: element, format};
}

function unrecognized(format: string): DraglineError {
  return new DraglineError(
    'BAD_OUTPUT',
    `Unrecognized output format '${format}'. Set a supported one (${Object.keys(FORMATS).join(', ')}) after a colon at the end`
      + ' of the output URI (i.e. -o/-O <URI>:<FORMAT>) or as a file extension.',
  );
}
