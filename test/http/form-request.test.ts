import {describe, expect, test} from '@jest/globals';
import type {DraglineErrorCode} from '../../src/core/errors.js';
import {FormRequest, type FormRequestOptions, type FromResponseOptions} from '../../src/http/form-request.js';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {codeOf} from '../helpers/errors.js';
import {itMatchesInstalledScrapy, oracleFixture} from '../helpers/oracle.js';

/** What the oracle records of a request: test/oracle/forms.py's answer_of(). */
interface Answer {
  url: string;
  method: string;
  body: string;
  contentType: string | null;
}
type Outcome = Answer | {error: string; message: string};

interface PageCase {
  name: string;
  url: string;
  contentType: string;
  /** The page's bytes, base64. */
  body: string;
  options: FromResponseOptions;
  needsEncoding: boolean;
  disabled?: boolean;
  /** The form's enctype asks for this body, where Scrapy url-encodes: compared field by field. */
  bodyFormat?: 'multipart' | 'text/plain';
  expected: Outcome;
}

interface ConstructorCase {
  name: string;
  url: string;
  options: FormRequestOptions;
  expected: Answer;
}

const fixture = oracleFixture<{fromResponse: PageCase[]; constructorCases: ConstructorCase[]}>('forms');

/** Scrapy's error for a case, by the start of its message, and the DraglineError code dragline gives for it. */
const SCRAPY_ERRORS: Array<[RegExp, DraglineErrorCode]> = [
  [/^No <form> element found/, 'FORM_NOT_FOUND'],
  [/^Form number -?\d+ not found/, 'FORM_NOT_FOUND'],
  [/^No clickable element matching clickdata/, 'FORM_CLICK_NOT_FOUND'],
  [/^Multiple elements found/, 'FORM_CLICK_NOT_FOUND'],
  [/codec can't encode/, 'BAD_ARGUMENT'],
];

function expectedCode(message: string): DraglineErrorCode {
  const found = SCRAPY_ERRORS.find(([pattern]) => pattern.test(message));
  if (found === undefined) throw new Error(`No dragline code known for Scrapy's error: ${message}`);
  return found[1];
}

function answerOf(request: Request): Answer {
  return {url: request.url, method: request.method, body: request.body.toString('latin1'), contentType: request.header('content-type') ?? null};
}

/** The fields of a url-encoded body, each name and value as its bytes (latin1 strings). */
function urlencodedFields(body: string): Array<[string, string]> {
  if (body === '') return [];
  const unquote = (text: string): string => text.replace(/\+/g, ' ').replace(/%([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return body.split('&').map((field) => {
    const at = field.indexOf('=');
    return [unquote(field.slice(0, at)), unquote(field.slice(at + 1))];
  });
}

/** The fields of a multipart/form-data body (latin1 strings), read as a server would. */
function multipartFields(body: string, contentType: string): Array<[string, string]> {
  const boundary = /boundary=(\S+)/.exec(contentType)![1]!;
  expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true);
  return body.split(`--${boundary}`).slice(1, -1).map((part) => {
    const [head, ...rest] = part.split('\r\n\r\n');
    expect(part.endsWith('\r\n')).toBe(true);
    return [/^\r\nContent-Disposition: form-data; name="([^"]*)"$/.exec(head!)![1]!, rest.join('\r\n\r\n').slice(0, -2)];
  });
}

function textPlainFields(body: string): Array<[string, string]> {
  return body.split('\r\n').slice(0, -1).map((line) => {
    const at = line.indexOf('=');
    return [line.slice(0, at), line.slice(at + 1)];
  });
}

function pageOf(testCase: PageCase): Response {
  const request = new Request(testCase.url);
  return new Response({url: testCase.url, status: 200, headers: {'Content-Type': testCase.contentType}, body: Buffer.from(testCase.body, 'base64'), request});
}

describe('FormRequest.fromResponse answers as Scrapy', () => {
  itMatchesInstalledScrapy('forms');

  test('the fixture has many cases of each kind', () => {
    const cases = fixture.fromResponse;
    expect(cases.length).toBeGreaterThan(100);
    expect(cases.filter((testCase) => 'error' in testCase.expected).length).toBeGreaterThan(8);
    expect(cases.filter((testCase) => testCase.needsEncoding).length).toBeGreaterThan(6);
  });

  for (const testCase of fixture.fromResponse) {
    const title = testCase.disabled ? `${testCase.name} (as Scrapy on the page without its disabled controls)` : testCase.name;
    test(title, () => {
      const response = pageOf(testCase);
      const expected = testCase.expected;
      if ('error' in expected) {
        expect(codeOf(() => FormRequest.fromResponse(response, testCase.options))).toBe(expectedCode(expected.message));
        return;
      }
      const answer = answerOf(FormRequest.fromResponse(response, testCase.options));
      if (testCase.bodyFormat === undefined) {
        expect(answer).toEqual(expected);
        return;
      }
      // Scrapy url-encodes whatever the enctype; the same fields, in the same order, go in the body the enctype asks for.
      expect({url: answer.url, method: answer.method}).toEqual({url: expected.url, method: expected.method});
      const fields = testCase.bodyFormat === 'multipart' ? multipartFields(answer.body, answer.contentType ?? '') : textPlainFields(answer.body);
      expect(answer.contentType).toMatch(testCase.bodyFormat === 'multipart' ? /^multipart\/form-data; boundary=\S+$/ : /^text\/plain$/);
      expect(fields).toEqual(urlencodedFields(expected.body));
    });
  }
});

describe('new FormRequest(url, {formdata}) answers as Scrapy', () => {
  for (const testCase of fixture.constructorCases) {
    test(testCase.name, () => {
      expect(answerOf(new FormRequest(testCase.url, testCase.options))).toEqual(testCase.expected);
    });
  }
});

describe('FormRequest.fromResponse where dragline follows the browser rather than Scrapy 2.8', () => {
  function page(html: string): Response {
    const request = new Request('http://www.example.com/app/page.html');
    return new Response({url: request.url, status: 200, headers: {'Content-Type': 'text/html; charset=utf-8'}, body: Buffer.from(html), request});
  }

  test("a textarea's first newline is markup, not value (HTML parsing drops it; libxml2 keeps it)", () => {
    const request = FormRequest.fromResponse(page('<form method="post"><textarea name="t">\nfirst\nsecond</textarea></form>'));
    expect(request.body.toString()).toBe('t=first%0Asecond');
  });

  test('a form inside a form is ignored, as HTML parsing ignores it: its fields belong to the outer form', () => {
    const request = FormRequest.fromResponse(page('<form action="/outer" method="post"><input name="a" value="1"><form action="/inner"><input name="b" value="2"></form><input name="c" value="3"></form>'));
    expect([request.url, request.body.toString()]).toEqual(['http://www.example.com/outer', 'a=1&b=2']);
  });

  test('formxpath selecting an attribute or a text node picks the form around it (Scrapy fails)', () => {
    const html = '<form name="a" method="post"><input name="x" value="1"></form><form name="b" method="post"><label>Code <input name="y" value="2"></label></form>';
    expect(FormRequest.fromResponse(page(html), {formxpath: '//input[@name="y"]/@name'}).body.toString()).toBe('y=2');
    expect(FormRequest.fromResponse(page(html), {formxpath: '//label/text()'}).body.toString()).toBe('y=2');
  });

  test('the encoding option overrides the page encoding', () => {
    const request = FormRequest.fromResponse(page('<form method="post"><input name="q" value="é"></form>'), {encoding: 'windows-1252'});
    expect(request.body.toString()).toBe('q=%E9');
  });

  test('formdata that is neither an object nor a list of pairs is a BAD_ARGUMENT', () => {
    // @ts-expect-error a pair without its value, as a JavaScript spider may pass it
    expect(codeOf(() => FormRequest.fromResponse(page('<form></form>'), {formdata: [['only-a-name']]}))).toBe('BAD_ARGUMENT');
  });
});

describe('form bodies in the enctype of the form', () => {
  const LOGIN = '<form action="/login" method="post" enctype="multipart/form-data"><input type="hidden" name="csrf_token" value="t0k"><input name="user"><textarea name="note">a "quoted"\nnote</textarea><input type="submit" name="go" value="Log in"></form>';
  function page(html: string): Response {
    const request = new Request('http://www.example.com/app/page.html');
    return new Response({url: request.url, status: 200, headers: {'Content-Type': 'text/html; charset=utf-8'}, body: Buffer.from(html), request});
  }

  test("a multipart body reads back with Node's own form-data parser (undici's)", async () => {
    const request = FormRequest.fromResponse(page(LOGIN), {formdata: {user: 'José'}});
    const parsed = await new globalThis.Response(request.body, {headers: {'content-type': request.header('content-type')!}}).formData();
    expect([...parsed.entries()]).toEqual([['csrf_token', 't0k'], ['note', 'a "quoted"\nnote'], ['go', 'Log in'], ['user', 'José']]);
  });

  test('the same form data gives the same body (the boundary comes from the content), other data another', () => {
    const first = FormRequest.fromResponse(page(LOGIN), {formdata: {user: 'a'}});
    const again = FormRequest.fromResponse(page(LOGIN), {formdata: {user: 'a'}});
    const other = FormRequest.fromResponse(page(LOGIN), {formdata: {user: 'b'}});
    expect(again.body.equals(first.body)).toBe(true);
    expect(again.header('content-type')).toBe(first.header('content-type'));
    expect(other.body.equals(first.body)).toBe(false);
  });

  test('a quote or line break in a field name is escaped, as the HTML standard says', () => {
    const request = new FormRequest('http://www.example.com/up', {formdata: [['say "hi"\n', 'v']], enctype: 'multipart/form-data'});
    expect(request.body.toString()).toContain('Content-Disposition: form-data; name="say %22hi%22%0A"\r\n\r\nv\r\n');
  });

  test('enctype on a GET form changes nothing: the data goes in the query', () => {
    const request = new FormRequest('http://www.example.com/s', {formdata: {q: 'a b'}, method: 'GET', enctype: 'multipart/form-data'});
    expect([request.url, request.body.length]).toEqual(['http://www.example.com/s?q=a+b', 0]);
  });
});
