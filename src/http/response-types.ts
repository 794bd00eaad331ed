import {headerValue, type Headers} from './request.js';

/** The Response subclass Scrapy would build for a download. */
export type ResponseClass = 'Response' | 'TextResponse' | 'HtmlResponse' | 'XmlResponse';

// Scrapy's responsetypes table: MIME types with a class of their own, then any text/*.
const CLASS_OF_MIME_TYPE: Record<string, ResponseClass> = {
  'text/html': 'HtmlResponse',
  'application/atom+xml': 'XmlResponse',
  'application/rdf+xml': 'XmlResponse',
  'application/rss+xml': 'XmlResponse',
  'application/xhtml+xml': 'HtmlResponse',
  'application/vnd.wap.xhtml+xml': 'HtmlResponse',
  'application/xml': 'XmlResponse',
  'application/json': 'TextResponse',
  'application/x-json': 'TextResponse',
  'application/json-amazonui-streaming': 'TextResponse',
  'application/javascript': 'TextResponse',
  'application/x-javascript': 'TextResponse',
  'text/xml': 'XmlResponse',
};

// The file extensions whose type (in the mime.types table Scrapy ships) maps to one of those classes.
const XML_EXTENSIONS = ['atom', 'rdf', 'rss', 'wsdl', 'xml', 'xpdl', 'xsd', 'xsl'];
const HTML_EXTENSIONS = ['htm', 'html', 'shtml', 'xht', 'xhtml'];
const TEXT_EXTENSIONS = (
  '323 asc bib boo brf c c++ cc cls cpp csh css csv cxx d diff etx gcd h h++ hh hpp hs htc hxx ics icz jad java js json ksh lhs ltx mjs mml moc n3 ' +
  'p pas patch pl pm pot py rtx scala sct sgm sgml sh srt sty tcl tex text tk tm ts tsv txt uls vcf vcs vtt wml wmls wsc'
).split(' ');
const CLASS_OF_EXTENSION = new Map<string, ResponseClass>([
  ...XML_EXTENSIONS.map((extension) => [extension, 'XmlResponse'] as const),
  ...HTML_EXTENSIONS.map((extension) => [extension, 'HtmlResponse'] as const),
  ...TEXT_EXTENSIONS.map((extension) => [extension, 'TextResponse'] as const),
]);
// A compression suffix (`.xml.gz`) leaves the type of the uncompressed file unknown to Scrapy.
const COMPRESSION_EXTENSIONS = new Set(['gz', 'Z', 'bz2', 'xz', 'br']);
// Content codings the downloader has already undone: the body is the decoded one.
const DECODED_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br', 'identity']);

/**
 * Which class Scrapy's responsetypes.from_args would give a response: by its Content-Type, else its
 * Content-Disposition file name, else the extension of its URL, else a look at the body (control
 * bytes: binary; `<html>`: HTML; `<?xml`: XML; else text).
 */
export function responseClassOf(response: {url: string; headers: Headers; body: Buffer}): ResponseClass {
  let found: ResponseClass = 'Response';
  const contentType = headerValue(response.headers, 'content-type');
  if (contentType !== undefined) {
    const coding = headerValue(response.headers, 'content-encoding')?.trim().toLowerCase();
    if (coding === undefined || coding === '' || DECODED_CODINGS.has(coding)) found = classOfMimeType(contentType.split(';')[0]!.trim().toLowerCase());
  }
  const disposition = headerValue(response.headers, 'content-disposition');
  if (found === 'Response' && disposition !== undefined) {
    const filename = disposition.split(';')[1]?.split('=')[1];
    if (filename !== undefined) found = classOfFileName(filename.trim().replace(/^["']+|["']+$/g, ''));
  }
  if (found === 'Response') found = classOfFileName(response.url.replace(/^[a-z][a-z0-9+.-]*:/i, ''));
  if (found === 'Response') found = classOfBody(response.body);
  return found;
}

/** Whatever can say a page's Content-Type: a Response. */
interface Typed {
  header(name: string): string | undefined;
}

/**
 * Whether a page is read as HTML (Scrapy's HtmlResponse): its Content-Type names HTML, or it has
 * none. Scrapy would then guess from the body and miss `<html lang="en">`; dragline gives a page
 * without a type the benefit of the doubt, so CrawlSpider rules and meta refreshes still apply.
 */
export function isHtmlResponse(response: Typed): boolean {
  const type = response.header('content-type');
  return type === undefined || /html/i.test(type);
}

/** text/xml, application/xml and application/*+xml (RSS, Atom, sitemaps), but not XHTML, which is parsed as HTML (Scrapy's responsetypes). */
export function isXmlResponse(response: Typed): boolean {
  const type = (response.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'text/xml' || type === 'application/xml' || (type.startsWith('application/') && type.endsWith('+xml') && !type.endsWith('xhtml+xml'));
}

function classOfMimeType(mimeType: string): ResponseClass {
  return CLASS_OF_MIME_TYPE[mimeType] ?? (mimeType.startsWith('text/') ? 'TextResponse' : 'Response');
}

/** Python's mimetypes.guess_type on a path or URL: the query string, if any, is part of the extension. */
function classOfFileName(name: string): ResponseClass {
  const extension = extensionOf(name);
  if (extension === undefined || COMPRESSION_EXTENSIONS.has(extension)) return 'Response';
  return CLASS_OF_EXTENSION.get(extension) ?? CLASS_OF_EXTENSION.get(extension.toLowerCase()) ?? 'Response';
}

function extensionOf(path: string): string | undefined {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  // A leading dot names a hidden file, not an extension (posixpath.splitext).
  if (dot <= slash + 1 || /^\.+$/.test(path.slice(slash + 1, dot + 1))) return undefined;
  return path.slice(dot + 1);
}

function classOfBody(body: Buffer): ResponseClass {
  const chunk = body.subarray(0, 5000);
  // Control bytes other than NUL, tab, LF and CR mean binary.
  if (chunk.some((byte) => byte < 32 && byte !== 0 && byte !== 9 && byte !== 10 && byte !== 13)) return 'Response';
  const lower = chunk.toString('latin1').toLowerCase();
  if (lower.includes('<html>')) return 'HtmlResponse';
  if (lower.includes('<?xml')) return 'XmlResponse';
  if (lower.includes('<!doctype html>')) return 'HtmlResponse';
  return 'TextResponse';
}
