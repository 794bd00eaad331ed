/**
 * Differential test against parsel 1.7: every case of test/oracle/parsel_selectors.py (documents, CSS and
 * XPath queries, re/re_first, attrib, nested selectors) must give parsel's answer, except where lxml
 * builds a different tree than the HTML standard; there dragline must really differ (docs/selectors.md
 * lists each such difference with a selector that works in both).
 */
import {describe, expect, test} from '@jest/globals';
import {DraglineError} from '../../src/core/errors.js';
import {Selector, SelectorList} from '../../src/selector/index.js';
import {itMatchesInstalledScrapy, oracleFixture} from '../helpers/oracle.js';

type Operation = [string, ...unknown[]];
interface OracleCase {
  group: string;
  type: 'html' | 'xml';
  doc: string;
  chain: Operation[];
  result?: unknown;
  error?: true;
  lxml_difference?: string;
}
interface Fixture {
  documents: Record<string, string>;
  cases: OracleCase[];
}

const fixture = oracleFixture<Fixture>('parsel_selectors');

/** Applies a case's chain to a dragline selector, the way test/oracle/parsel_selectors.py does to parsel's. */
function run(entry: OracleCase): unknown {
  const source = fixture.documents[entry.doc]!;
  let value: Selector | SelectorList = new Selector({text: source, type: entry.type});
  for (const [name, ...args] of entry.chain) {
    switch (name) {
      case 'css':
        value = value.css(args[0] as string);
        break;
      case 'xpath': {
        const options = (args[1] ?? {}) as {namespaces?: Record<string, string>; variables?: Record<string, string | number>};
        value = value.xpath(args[0] as string, options);
        break;
      }
      case 'item':
        value = (value as SelectorList)[args[0] as number]!;
        break;
      case 'register_namespace':
        (value as Selector).registerNamespace(args[0] as string, args[1] as string);
        break;
      case 'remove_namespaces':
        (value as Selector).removeNamespaces();
        break;
      case 'get':
        return value.get();
      case 'getall':
        return value.getall();
      case 'attrib':
        return value.attrib;
      case 'len':
        return (value as SelectorList).length;
      case 're':
        return value.re(args[0] as string, {replaceEntities: (args[1] ?? true) as boolean});
      case 're_first':
        return value instanceof SelectorList
          ? value.reFirst(args[0] as string, (args[1] ?? null) as string | null)
          : value.reFirst(args[0] as string, (args[1] ?? null) as string | null);
      default:
        throw new Error(`unknown operation ${name}`);
    }
  }
  throw new Error('chain without a final operation');
}

function title(entry: OracleCase): string {
  return `${entry.doc}: ${entry.chain.map((operation) => operation.map((part) => JSON.stringify(part)).join(' ')).join(' → ')}`;
}

const groups = [...new Set(fixture.cases.map((entry) => entry.group))];

describe('selectors answer as parsel 1.7 does', () => {
  for (const group of groups) {
    const cases = fixture.cases.filter((entry) => entry.group === group);
    describe(group, () => {
      test.each(cases.filter((entry) => entry.lxml_difference === undefined).map((entry) => [title(entry), entry] as const))('%s', (_title, entry) => {
        if (entry.error) {
          expect(() => run(entry)).toThrow(DraglineError);
          try {
            run(entry);
          } catch (error) {
            expect((error as DraglineError).code).toBe('BAD_ARGUMENT');
            expect((error as Error).message).not.toContain('\n');
          }
        } else {
          expect(run(entry)).toEqual(entry.result);
        }
      });
    });
  }
  const differences = fixture.cases.filter((entry) => entry.lxml_difference !== undefined);
  describe('documented tree-building differences (parse5 follows the HTML standard, lxml does not)', () => {
    test.each(differences.map((entry) => [title(entry), entry] as const))('%s differs', (_title, entry) => {
      expect(run(entry)).not.toEqual(entry.result);
    });
  });
  itMatchesInstalledScrapy('parsel_selectors');
});
