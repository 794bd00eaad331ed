import {describe, expect, test} from '@jest/globals';
import {ItemLoader} from '../../src/loader/item-loader.js';
import {Compose, Identity, Join, MapCompose, TakeFirst, type Processor} from '../../src/loader/processors.js';
import {Selector} from '../../src/selector/index.js';
import {itMatchesInstalledScrapy, oracleFixture} from '../helpers/oracle.js';

// itemloaders' answers (test/oracle/loaders.py) for sequences of loader operations; the processors
// are named from the same table as there. Python's None is null or undefined here.
const PROCESSORS: Record<string, Processor> = {
  identity: Identity(),
  take_first: TakeFirst(),
  join: Join(),
  join_comma: Join(', '),
  strip: MapCompose((v: string) => v.trim()),
  upper: MapCompose((v: string) => v.toUpperCase()),
  double: MapCompose((v: unknown) => [v, v]),
  drop_b: MapCompose((v: unknown) => (v === 'b' ? null : v)),
  empty_to_none: MapCompose((v: unknown) => (v === '' ? undefined : v)),
  map_to_zero: MapCompose(() => 0),
  map_to_empty_string: MapCompose(() => ''),
  map_to_none: MapCompose(() => null),
  returns_none: () => null,
  returns_undefined: () => undefined,
  returns_empty_string: () => '',
  returns_zero: () => 0,
  returns_false: () => false,
  returns_empty_list: () => [],
  returns_empty_dict: () => ({}),
  returns_x: () => 'x',
  count: (v: unknown[]) => v.length,
  compose_take_first_upper: Compose(TakeFirst(), (v: string) => v.toUpperCase()),
  compose_none_then_x: Compose(() => null, () => 'x'),
  compose_none_then_x_no_stop: Compose(() => null, (v: unknown) => (v === null || v === undefined ? 'x' : v), {stopOnNone: false}),
  compose_count: Compose((v: unknown[]) => v.length),
};

type Op = [string, ...unknown[]];
interface LoaderSettings {
  default_in?: string;
  default_out?: string;
  fields?: Record<string, {in?: string; out?: string}>;
}
interface Fixture {
  html: string;
  /** `initial`: the item the loader starts from (null: a new one); `item`: what load_item() gives at the end. */
  cases: Array<{name: string; loader: LoaderSettings; initial: Record<string, unknown> | null; ops: Op[]; results: unknown[]; item: Record<string, unknown>}>;
}

const fixture = oracleFixture<Fixture>('loaders');

function loaderClass(settings: LoaderSettings): typeof ItemLoader {
  class OracleLoader extends ItemLoader {}
  if (settings.default_in) OracleLoader.defaultInputProcessor = PROCESSORS[settings.default_in]!;
  if (settings.default_out) OracleLoader.defaultOutputProcessor = PROCESSORS[settings.default_out]!;
  OracleLoader.fieldProcessors = Object.fromEntries(
    Object.entries(settings.fields ?? {}).map(([field, {in: input, out}]) => [field, {input: input ? PROCESSORS[input] : undefined, output: out ? PROCESSORS[out] : undefined}]),
  );
  return OracleLoader;
}

/** Python's None: undefined and null alike. */
function asPython(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(asPython);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, asPython(entry)]));
  return value;
}

function run(settings: LoaderSettings, item: Record<string, unknown> | null, ops: Op[]): {results: unknown[]; item: unknown} {
  const Loader = loaderClass(settings);
  const loader = new Loader({item: item === null ? undefined : {...item}, selector: Selector.fromHtml(fixture.html)});
  const results: unknown[] = [];
  const names = (list: unknown): Processor[] => ((list as string[] | undefined) ?? []).map((name) => PROCESSORS[name]!);
  for (const [kind, ...args] of ops) {
    if (kind === 'add' || kind === 'replace') {
      const [field, value, processors, re] = args as [string | null, unknown, string[]?, string?];
      const extra = re === undefined || re === null ? names(processors) : [...names(processors), {re}];
      if (kind === 'add') loader.addValue(field, value, ...extra);
      else loader.replaceValue(field, value, ...extra);
    } else if (kind === 'get') {
      const [value, processors, re] = args as [unknown, string[], string?];
      results.push(loader.getValue(value, ...(re === undefined ? names(processors) : [...names(processors), {re}])));
    } else if (kind === 'get_output') results.push(loader.getOutputValue(args[0] as string));
    else if (kind === 'get_collected') results.push(loader.getCollectedValues(args[0] as string));
    else if (kind === 'load') results.push({...loader.loadItem()});
    else if (kind === 'add_css') loader.addCss(args[0] as string, args[1] as string);
    else if (kind === 'nested_add') loader.nestedCss(args[0] as string).addCss(args[1] as string, args[2] as string);
    else if (kind === 'nested_add_value') loader.nestedCss(args[0] as string).addValue(args[1] as string, args[2]);
    else throw new Error(`unknown op ${kind}`);
  }
  return {results: asPython(results) as unknown[], item: asPython({...loader.loadItem()})};
}

describe('ItemLoader answers as itemloaders', () => {
  test.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(run(c.loader, c.initial, c.ops)).toEqual({results: c.results, item: c.item});
  });
});

itMatchesInstalledScrapy('loaders');
