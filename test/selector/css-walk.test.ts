import {describe, expect, test} from '@jest/globals';
import {compile, selectAll} from 'css-select';
import {isTag, type AnyNode, type Element} from 'domhandler';
import {elementsMatching} from '../../src/selector/css-query.js';
import {parseHtml} from '../../src/selector/html-document.js';
import {parseXml} from '../../src/selector/xml-document.js';

// selectCss walks the tree itself (elementsMatching) instead of css-select's selectAll: the same
// elements must come back, in the same order, for any compiled query, root set and page.

const HTML = `<!DOCTYPE html><html><head><title>T</title><base href="/x/"><style>p {}</style></head><body>
  <div id="a" class="c"><p>one <b>two</b></p><p class="c">three<span class="c">four</span></p>
    <template><p class="c">in template</p><div><a href="t">t</a></div></template>
    <ul><li><a href="1">1</a></li><li class="c"><a href="2">2</a><ul><li><a href="3">3</a></li></ul></li></ul>
  </div>
  <!-- <p>comment</p> --><table><tr><td><a href="4">4</a></td></tr></table>
  <svg><a href="5"><text>svg</text></a></svg><noscript><a href="6">6</a></noscript>
  <div class="c"><div class="c"><div class="c"><p>deep</p></div></div></div>
</body></html>`;

const XML = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>
  <entry><title>E1</title><link href="1"/><template><title>kept in XML</title></template></entry>
  <entry><title>E2</title><![CDATA[<title>not an element</title>]]><link href="2"/></entry></feed>`;

const QUERIES = ['*', 'p', 'a', 'a, area', '.c', 'div .c', 'div > p', 'li + li', 'p ~ ul', 'ul ul a', 'p:first-child', 'li:nth-child(2) a', ':not(p)', 'div:has(> p)', '[href]', 'title', 'template p', 'nothing-here'];

function elementsBelow(root: AnyNode): Element[] {
  const all: Element[] = [];
  const visit = (node: AnyNode): void => {
    if (isTag(node)) all.push(node);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(root);
  return all;
}

describe('elementsMatching, against css-select selectAll', () => {
  const html = parseHtml(HTML);
  const xml = parseXml(XML);
  const cases: Array<[string, AnyNode[], boolean]> = [
    ['HTML document', html.children.filter(isTag), false],
    ...elementsBelow(html).filter((_, index) => index % 3 === 0).map((element): [string, AnyNode[], boolean] => [`HTML <${element.name}> at ${elementsBelow(html).indexOf(element)}`, [element], false]),
    ['XML document', xml.children.filter(isTag), true],
    ...elementsBelow(xml).map((element, index): [string, AnyNode[], boolean] => [`XML <${element.name}> at ${index}`, [element], true]),
  ];

  test.each(cases)('%s: same elements in the same order for every query', (_name, roots, xmlMode) => {
    for (const query of QUERIES) {
      const matches = compile<AnyNode, Element>(query, {xmlMode});
      const expected = selectAll(matches, roots, {xmlMode});
      const found = elementsMatching(matches, roots, xmlMode);
      expect([query, found.length]).toEqual([query, expected.length]);
      found.forEach((element, index) => expect(element).toBe(expected[index]));
    }
  });

  test('a template is skipped on an HTML page, walked in XML', () => {
    const p = compile<AnyNode, Element>('p', {});
    expect(elementsMatching(p, html.children.filter(isTag), false).map((element) => (element.children[0] as {data?: string}).data)).not.toContain('in template');
    const title = compile<AnyNode, Element>('title', {xmlMode: true});
    expect(elementsMatching(title, xml.children.filter(isTag), true)).toHaveLength(4);
  });
});
