import {gunzipSync} from 'node:zlib';

/** One `<url>` or `<sitemap>` entry of a sitemap, as Scrapy's Sitemap yields them. */
export interface SitemapEntry {
  loc: string;
  lastmod?: string;
  changefreq?: string;
  priority?: string;
  /** `<xhtml:link rel="alternate" href>` URLs of the entry. */
  alternate: string[];
}

export interface Sitemap {
  /** `urlset` (pages) or `sitemapindex` (more sitemaps). */
  type: 'urlset' | 'sitemapindex';
  entries: SitemapEntry[];
}

const MAX_SITEMAP_BYTES = 50 * 1024 * 1024;

/**
 * Reads a sitemap (https://www.sitemaps.org/protocol.html), gzipped or not. Sitemaps are flat
 * lists of a few tags, so a small scanner does: no DTDs or external entities are ever resolved.
 * Returns undefined for a body that is not a sitemap.
 */
export function parseSitemap(body: Buffer): Sitemap | undefined {
  let bytes = body;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, {maxOutputLength: MAX_SITEMAP_BYTES});
    } catch {
      return undefined;
    }
  }
  const text = bytes.toString('utf8');
  const rootTag = /<([\w-]+:)?(urlset|sitemapindex)[\s>]/i.exec(text);
  if (rootTag === null) return undefined;
  const root = rootTag[2].toLowerCase() as Sitemap['type'];
  // The sitemap's own elements share the root's prefix (usually none); <image:loc> and the like are
  // other vocabularies nested in an entry, never the entry's own fields.
  const prefix = (rootTag[1] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const tag = root === 'urlset' ? 'url' : 'sitemap';
  const entries: SitemapEntry[] = [];
  for (const block of text.matchAll(new RegExp(`<${prefix}${tag}[\\s>]([\\s\\S]*?)</${prefix}${tag}>`, 'gi'))) {
    const field = (name: string): string | undefined => {
      const value = new RegExp(`<${prefix}${name}>([\\s\\S]*?)</${prefix}${name}>`, 'i').exec(block[1])?.[1];
      return value === undefined ? undefined : decodeXmlText(value);
    };
    const loc = field('loc');
    if (loc === undefined || loc === '') continue;
    const alternate = [...block[1].matchAll(/<(?:[\w-]+:)?link\s[^>]*rel=["']alternate["'][^>]*>/gi)]
      .map((link) => /href=["']([^"']+)["']/i.exec(link[0])?.[1])
      .filter((href): href is string => href !== undefined)
      .map(decodeXmlText);
    entries.push({loc, lastmod: field('lastmod'), changefreq: field('changefreq'), priority: field('priority'), alternate});
  }
  return {type: root, entries};
}

/** The `Sitemap:` lines of a robots.txt. */
export function sitemapUrlsFromRobots(text: string, baseUrl: string): string[] {
  const urls: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*sitemap\s*:\s*(\S+)/i.exec(line);
    if (match === null) continue;
    try {
      urls.push(new URL(match[1], baseUrl).toString());
    } catch {
      // Not a URL: ignored, as Scrapy does.
    }
  }
  return urls;
}

function decodeXmlText(value: string): string {
  const cdata = /^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/.exec(value);
  if (cdata !== null) return cdata[1].trim();
  return value
    .trim()
    .replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_, entity: string) => {
      const named: Record<string, string> = {lt: '<', gt: '>', quot: '"', apos: "'", amp: '&'};
      if (entity[0] !== '#') return named[entity.toLowerCase()];
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    });
}
