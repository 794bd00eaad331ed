import {describe, expect, test} from '@jest/globals';
import {parse} from 'parse5';
import {adapter as stockAdapter, type Htmlparser2TreeAdapterMap} from 'parse5-htmlparser2-tree-adapter';
import {Comment, Element, Text, type AnyNode, type Document} from 'domhandler';
import {parseHtml} from '../../src/selector/html-document.js';

// parseHtml builds its nodes with constructors of its own: the tree must be the one parse5's
// htmlparser2 adapter builds, node for node (same prototypes, fields, links), but for the
// attribute namespace and prefix tables, which hold only what SVG/MathML attributes declare.

const PAGES: Record<string, string> = {
  plain: '<!DOCTYPE html><html lang="en"><head><title>T</title><meta charset="utf-8"></head><body><h1 id="x" class="a b">Head</h1><p>one <b>two</b> three</p></body></html>',
  comments: '<!-- before --><html><body><!-- inside --><p>x<!-- mid -->y</p></body></html><!-- after -->',
  'text runs and entities': '<p>a &amp; b &lt;c&gt; &copy; &#x41; &unknown; text\n\nmore</p><pre>\n\nkept</pre>',
  'unclosed markup': '<body><p>one<p>two<li>three<li>four<table><tr><td>cell<td>cell2</table><div>open',
  'misnested (adoption agency)': '<p><b>bold <i>both</b> italic</i> plain</p><a href="1">one <a href="2">two</a>',
  'foster parenting': '<table>text before<tr><td>x</td></tr>more text<b>bold</b></table>',
  'script and style': '<head><style>p { color: red }</style><script>if (a < b && c) {}</script></head><body><script type="x">raw <b></script></body>',
  template: '<template id="t"><p>inside</p><td>cell</td></template><p>after</p>',
  noscript: '<noscript><a href="/n">no script link</a></noscript><p>x</p>',
  'svg and mathml': '<svg xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 1 1"><use xlink:href="#a"/><foreignObject><p>html</p></foreignObject></svg><math><mi xml:lang="en">x</mi></math>',
  'repeated attributes and adoption': '<html a="1"><body b="2"><html c="3"><body b="4" d="5"><p x="1" x="2">p</p>',
  'odd attribute names': '<div __proto__="p" constructor="c" toString="t" data-x=\'1\' checked>d</div>',
  'quirks mode': '<html><body><p>no doctype</p></body></html>',
  frameset: '<!DOCTYPE html><frameset><frame src="a"></frameset>',
  empty: '',
};

const stockOptions = {treeAdapter: stockAdapter, scriptingEnabled: false};

/** The differences allowed: the namespace and prefix tables, compared by what they hold. */
const NAME_TABLES = new Set(['x-attribsNamespace', 'x-attribsPrefix']);

function expectSameTree(ours: AnyNode | Document, stock: AnyNode | Document, path: string): void {
  expect([path, Object.getPrototypeOf(ours)]).toEqual([path, Object.getPrototypeOf(stock)]);
  const ourKeys = Object.keys(ours).sort();
  const stockKeys = Object.keys(stock).sort();
  expect([path, ourKeys]).toEqual([path, stockKeys]);
  for (const key of ourKeys) {
    const mine = (ours as unknown as Record<string, unknown>)[key];
    const theirs = (stock as unknown as Record<string, unknown>)[key];
    if (key === 'parent' || key === 'prev' || key === 'next' || key === 'children') continue;
    if (key === 'attribs') {
      expect([path, {...(mine as object)}]).toEqual([path, {...(theirs as object)}]);
      expect(Object.prototype.isPrototypeOf(mine as object)).toBe(false);
    } else if (NAME_TABLES.has(key)) {
      const defined = (table: object) => Object.fromEntries(Object.entries(table).filter(([, value]) => value !== undefined));
      expect([path, key, defined(mine as object)]).toEqual([path, key, defined(theirs as object)]);
    } else {
      expect([path, key, mine]).toEqual([path, key, theirs]);
    }
  }
  if (!('children' in stock)) return;
  const ourChildren = (ours as Element).children;
  const stockChildren = (stock as Element).children;
  expect([path, ourChildren.length]).toEqual([path, stockChildren.length]);
  ourChildren.forEach((child, index) => {
    expect(child.parent).toBe(ours);
    expect(child.prev).toBe(ourChildren[index - 1] ?? null);
    expect(child.next).toBe(ourChildren[index + 1] ?? null);
    expectSameTree(child, stockChildren[index]!, `${path}/${index}`);
  });
}

describe('parseHtml', () => {
  test.each(Object.entries(PAGES))('builds the tree the stock adapter builds: %s', (_name, html) => {
    expectSameTree(parseHtml(html), parse<Htmlparser2TreeAdapterMap>(html, stockOptions), '');
  });

  test('its nodes are domhandler nodes: instanceof, node types and DOM getters work', () => {
    const document = parseHtml('<p class="c">text<!--note--></p>');
    const paragraph = ((document.children[0] as Element).children[1] as Element).firstChild as Element;
    expect(paragraph).toBeInstanceOf(Element);
    expect(paragraph.nodeType).toBe(1);
    expect(paragraph.tagName).toBe('p');
    expect(paragraph.attributes).toEqual([{name: 'class', value: 'c', namespace: undefined, prefix: undefined}]);
    expect(paragraph.firstChild).toBeInstanceOf(Text);
    expect((paragraph.firstChild as Text).nodeValue).toBe('text');
    expect(paragraph.lastChild).toBeInstanceOf(Comment);
    expect(paragraph.lastChild!.nodeType).toBe(8);
    expect(paragraph.firstChild!.nextSibling).toBe(paragraph.lastChild);
  });

  test('an SVG attribute keeps its namespace and prefix', () => {
    const use = parseHtml('<svg><use xlink:href="#a" x="1"/></svg>').children[0] as Element;
    const element = ((use.children[1] as Element).children[0] as Element).children[0] as Element;
    expect(element.name).toBe('use');
    expect(element.attribs).toEqual({href: '#a', x: '1'});
    expect(element['x-attribsNamespace']?.href).toBe('http://www.w3.org/1999/xlink');
    expect(element['x-attribsPrefix']?.href).toBe('xlink');
  });
});
