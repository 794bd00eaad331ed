import {DraglineError} from '../core/errors.js';
import {Selector} from '../selector/index.js';
import {formFields, pickForm, type ClickData, type FormChoice} from './html-form.js';
import {headerValue, Request, type CallbackKwargs, type CheckedRequestOptions, type Headers, type KwargsGiven, type RequestMeta, type RequestOptions} from './request.js';
import type {Response} from './response.js';
import {multipartBody} from './multipart.js';
import {stripHtml5Whitespace} from '../utils/strip-html5-whitespace.js';
import {urlsplit, urlunsplit} from '../utils/urljoin.js';
import {encodeText, outputEncoding} from '../utils/encode-text.js';
import {urlencodePairs, type FormPair} from './url-encode.js';

/** One field's value, or several values under one name. */
export type FormValue = string | string[];
/** Form data: an object (name → value or values) or a list of [name, value] pairs, whose order is kept. */
export type FormRequestData = Record<string, FormValue> | Array<[string, FormValue]>;

export type FormRequestOptions<Kwargs extends CallbackKwargs = CallbackKwargs, Meta extends CallbackKwargs = RequestMeta> = Omit<RequestOptions<Kwargs, Meta>, 'encoding'> & {
  formdata?: FormRequestData;
  /** The encoding of the form data (a WHATWG label: 'utf-8', 'windows-1252', 'shift_jis'…); utf-8 unless told. */
  encoding?: string;
  /**
   * How a POST carries the data, as a form's enctype: 'application/x-www-form-urlencoded' (the
   * default, and what any other value means), 'multipart/form-data' or 'text/plain'.
   */
  enctype?: string;
};

export interface FromResponseOptions<Kwargs extends CallbackKwargs = CallbackKwargs, Meta extends CallbackKwargs = RequestMeta> extends Omit<FormRequestOptions<Kwargs, Meta>, 'formdata' | 'body'>, FormChoice {
  /** Values that replace (or add to) the form's own; a null value removes that field. */
  formdata?: Record<string, FormValue | null> | Array<[string, FormValue | null]>;
  /** Which submit button is clicked: attributes to match (`{name: 'action', value: 'save'}`) or `{nr: 2}`. */
  clickdata?: ClickData;
  /** Submit without clicking any button. */
  dontClick?: boolean;
  /** Where to submit instead of the form's action (relative to the page). */
  url?: string;
}

/**
 * A request carrying form data, as Scrapy's FormRequest: a POST with the data in the body,
 * url-encoded unless `enctype` asks for multipart/form-data or text/plain (any other method, GET
 * included, puts the data url-encoded in the URL's query instead).
 */
export class FormRequest<Kwargs extends CallbackKwargs = CallbackKwargs, Meta extends CallbackKwargs = RequestMeta> extends Request<Kwargs, Meta> {
  /** `cbKwargs` is checked against the callback, as for a Request. */
  constructor(url: string, options: FormRequestOptions<Kwargs, Meta> & KwargsGiven<Kwargs> = {} as FormRequestOptions<Kwargs, Meta> & KwargsGiven<Kwargs>) {
    const {formdata, encoding, enctype, ...given} = options;
    // Checked above, against the callback; the options a Request is made with are the same.
    const rest = given as CheckedRequestOptions<Kwargs, Meta>;
    const pairs = formdata === undefined ? [] : formPairs(formdata);
    // As Scrapy, empty form data is no form data: a plain request, GET unless told.
    if (pairs.length === 0) {
      super(url, {...rest, encoding});
      return;
    }
    const method = (rest.method ?? 'POST').toUpperCase();
    if (method === 'POST') {
      const {body, contentType} = formBody(flatten(pairs), encoding ?? 'utf-8', enctype);
      super(url, {...rest, method, encoding, body, headers: withContentType(rest.headers, contentType)});
    } else {
      super(withQuery(url, urlencodePairs(flatten(pairs), encoding)), {...rest, method, encoding});
    }
  }

  /**
   * The request a browser would send on submitting a form of `response`, as Scrapy's
   * FormRequest.from_response: picks the form (formname, formid, formxpath, formcss, formnumber),
   * takes the values its controls hold and the first submit button (or the one `clickdata` names),
   * lets `formdata` replace, add or (with null) remove fields, and submits to the form's action
   * with its method and enctype, in the page's encoding.
   */
  static fromResponse<Kwargs extends CallbackKwargs = CallbackKwargs, Meta extends CallbackKwargs = RequestMeta>(
    response: Response,
    options: FromResponseOptions<Kwargs, Meta> & KwargsGiven<Kwargs> = {} as FromResponseOptions<Kwargs, Meta> & KwargsGiven<Kwargs>,
  ): FormRequest<Kwargs, Meta> {
    const {formname, formid, formnumber, formxpath, formcss, formdata, clickdata, dontClick, url, method, ...rest} = options;
    const encoding = rest.encoding ?? response.encoding;
    const root = response.selector.type === 'html' ? response.selector : Selector.fromHtml(response.text);
    const form = pickForm(root, {formname, formid, formnumber, formxpath, formcss}, String(response));
    const given = formdata === undefined ? [] : formPairs(formdata);
    const names = new Set(given.map(([name]) => name));
    // Scrapy checks the clicked button's name against formdata's keys only when formdata is an object.
    const clickReplaced = Array.isArray(formdata) ? new Set<string>() : names;
    const fields: Array<[string, FormValue]> = formFields(form, names, {dontClick: dontClick ?? false, clickdata, replaced: clickReplaced});
    for (const [name, value] of given) if (value !== null) fields.push([name, value]);
    const action = url ?? form.attribs.action;
    const target = response.urljoin(action === undefined ? '' : stripHtml5Whitespace(action));
    const enctype = rest.enctype ?? form.attribs.enctype;
    const submitted = {...rest, method: formMethod(method ?? form.attribs.method), formdata: fields, encoding, enctype};
    return new FormRequest<Kwargs, Meta>(target, submitted as FormRequestOptions<Kwargs, Meta> & KwargsGiven<Kwargs>);
  }
}

/**
 * The encoding the page was decoded with, in which its forms are submitted. `response.encoding`
 * is a WHATWG label where the response has it.
 */
/** Forms submit GET or POST; any other method (PUT, dialog, a typo) submits as GET, as in Scrapy. */
function formMethod(method: string | undefined): string {
  const upper = (method ?? 'GET').toUpperCase();
  return upper === 'POST' ? 'POST' : 'GET';
}

function formPairs<V>(formdata: Record<string, V> | Array<[string, V]>): Array<[string, V]> {
  if (Array.isArray(formdata)) {
    if (!formdata.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string')) {
      throw new DraglineError('BAD_ARGUMENT', 'formdata should be an object or a list of [name, value] pairs');
    }
    return formdata;
  }
  if (typeof formdata !== 'object' || formdata === null) throw new DraglineError('BAD_ARGUMENT', 'formdata should be an object or a list of [name, value] pairs');
  return Object.entries(formdata);
}

function flatten(pairs: Array<[string, FormValue]>): FormPair[] {
  return pairs.flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((one): FormPair => [name, String(one)]));
}

/**
 * A POST's body in the form's enctype, as a browser encodes it (the HTML standard's
 * "application/x-www-form-urlencoded", "multipart/form-data" and "text/plain" encodings; an
 * enctype it does not know means the first).
 */
function formBody(pairs: FormPair[], encoding: string, enctype: string | undefined): {body: Buffer; contentType: string} {
  switch (enctype?.trim().toLowerCase()) {
    case 'multipart/form-data':
      return multipartBody(pairs, encoding);
    case 'text/plain':
      return {body: Buffer.concat(pairs.map(([name, value]) => encodeText(`${name}=${value}\r\n`, outputEncoding(encoding), {errors: 'strict'}))), contentType: 'text/plain'};
    default:
      return {body: Buffer.from(urlencodePairs(pairs, encoding), 'latin1'), contentType: 'application/x-www-form-urlencoded'};
  }
}

/** As Scrapy's headers.setdefault: a Content-Type the caller gave (in any case) is kept. */
function withContentType(headers: Headers | undefined, contentType: string): Headers {
  if (headers !== undefined && headerValue(headers, 'content-type') !== undefined) return {...headers};
  return {'Content-Type': contentType, ...headers};
}

/** `url` with its query replaced by `query` (none when empty), as Scrapy's `urlunsplit(urlsplit(url)._replace(query=…))`. */
function withQuery(url: string, query: string): string {
  const {scheme, netloc, path, fragment} = urlsplit(url);
  return urlunsplit({scheme, netloc, path, query, fragment});
}
