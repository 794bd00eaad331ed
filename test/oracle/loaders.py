"""itemloaders' answers for sequences of ItemLoader operations, above all what None does: a value
that becomes None is not stored, get_value stops its chain at None, '' and 0 are values.
Processors are named from a fixed table (the jest test has the same table in TypeScript).
Regenerate: /usr/bin/python3 test/oracle/loaders.py > test/fixtures/oracle/loaders.json"""
import json

from itemloaders import ItemLoader
from itemloaders.processors import Compose, Identity, Join, MapCompose, TakeFirst
from parsel import Selector

PROCESSORS = {
    'identity': Identity(),
    'take_first': TakeFirst(),
    'join': Join(),
    'join_comma': Join(', '),
    'strip': MapCompose(str.strip),
    'upper': MapCompose(str.upper),
    'double': MapCompose(lambda v: [v, v]),
    'drop_b': MapCompose(lambda v: None if v == 'b' else v),
    'empty_to_none': MapCompose(lambda v: None if v == '' else v),
    'map_to_zero': MapCompose(lambda v: 0),
    'map_to_empty_string': MapCompose(lambda v: ''),
    'map_to_none': MapCompose(lambda v: None),
    'returns_none': lambda v: None,
    'returns_undefined': lambda v: None,
    'returns_empty_string': lambda v: '',
    'returns_zero': lambda v: 0,
    'returns_false': lambda v: False,
    'returns_empty_list': lambda v: [],
    'returns_empty_dict': lambda v: {},
    'returns_x': lambda v: 'x',
    'count': lambda v: len(v),
    'compose_take_first_upper': Compose(TakeFirst(), str.upper),
    'compose_none_then_x': Compose(lambda v: None, lambda v: 'x'),
    'compose_none_then_x_no_stop': Compose(lambda v: None, lambda v: 'x' if v is None else v, stop_on_none=False),
    'compose_count': Compose(len),
}

HTML = '<div class="p"><h1> Desk </h1><span class="price"></span><ul><li>a</li><li></li><li>b</li></ul></div><div class="q"><h1>Chair</h1></div>'

# Each case: loader class settings, an initial item, and operations. Results of get/get_output/
# get_collected/load ops are recorded, then the item load_item() gives at the end.
CASES = [
    ('add_value None stores nothing', {}, None, [['add', 'a', None], ['get_collected', 'a'], ['load']]),
    ('add_value None after a value keeps the value', {}, None, [['add', 'a', 'x'], ['add', 'a', None], ['get_collected', 'a']]),
    ('add_value empty string is a value', {}, None, [['add', 'a', ''], ['get_collected', 'a'], ['load']]),
    ('add_value zero is a value', {}, None, [['add', 'a', 0], ['get_collected', 'a'], ['load']]),
    ('add_value false is a value', {}, None, [['add', 'a', False], ['get_collected', 'a']]),
    ('add_value empty list stores nothing', {}, None, [['add', 'a', []], ['get_collected', 'a'], ['load']]),
    ('add_value list with None inside keeps it', {}, None, [['add', 'a', ['x', None, '']], ['get_collected', 'a'], ['load']]),
    ('replace_value None leaves the collected values', {}, None, [['add', 'a', 'x'], ['replace', 'a', None], ['get_collected', 'a'], ['load']]),
    ('replace_value empty string replaces', {}, None, [['add', 'a', 'x'], ['replace', 'a', ''], ['get_collected', 'a']]),
    ('replace_value zero replaces', {}, None, [['add', 'a', 'x'], ['replace', 'a', 0], ['get_collected', 'a']]),
    ('replace_value empty list removes the field', {}, None, [['add', 'a', 'x'], ['replace', 'a', []], ['get_collected', 'a'], ['load']]),
    ('replace_value through a processor returning None leaves the values', {}, None, [['add', 'a', 'x'], ['replace', 'a', 'y', ['returns_none']], ['get_collected', 'a']]),
    ('replace_value through a processor returning undefined leaves the values', {}, None, [['add', 'a', 'x'], ['replace', 'a', 'y', ['returns_undefined']], ['get_collected', 'a']]),
    ('replace_value whose input processor drops everything removes the field', {'fields': {'a': {'in': 'map_to_none'}}}, None, [['add', 'a', 'x'], ['replace', 'a', 'y'], ['get_collected', 'a'], ['load']]),
    ('replace of an initial item field with an empty list keeps the item value', {}, {'a': 'orig'}, [['replace', 'a', []], ['get_collected', 'a'], ['load']]),
    ('processor returning None: add stores nothing', {}, None, [['add', 'a', 'x', ['returns_none']], ['get_collected', 'a']]),
    ('processor returning undefined: add stores nothing', {}, None, [['add', 'a', 'x', ['returns_undefined']], ['get_collected', 'a']]),
    ('processor returning empty string: stored', {}, None, [['add', 'a', 'x', ['returns_empty_string']], ['get_collected', 'a']]),
    ('processor returning zero: stored', {}, None, [['add', 'a', 'x', ['returns_zero']], ['get_collected', 'a']]),
    ('get_value stops the chain at None', {}, None, [['get', 'x', ['returns_none', 'returns_x']], ['get', 'x', ['returns_undefined', 'returns_x']], ['get', None, ['returns_x']]]),
    ('get_value goes on after empty string and zero', {}, None, [['get', 'x', ['returns_empty_string', 'returns_x']], ['get', 'x', ['returns_zero', 'returns_x']], ['get', '', ['returns_x']], ['get', 0, ['returns_x']]]),
    ('get_value goes on after an empty list', {}, None, [['get', 'x', ['returns_empty_list', 'returns_x']], ['get', [], ['count']]]),
    ('get_value with no processors', {}, None, [['get', None, []], ['get', '', []], ['get', ['a', None], []]]),
    ('get_value with a regex', {}, None, [['get', ['name: foo', 'nothing', 'name: bar'], ['take_first', 'upper'], 'name: (.+)'], ['get', 'nothing', ['take_first', 'returns_x'], 'name: (.+)']]),
    ('add with a regex that matches nothing', {}, None, [['add', 'a', 'nothing', [], 'name: (.+)'], ['get_collected', 'a'], ['load']]),
    ('TakeFirst skips None and empty strings but not zero or false', {}, None, [['get', [None, '', 0, 'a'], ['take_first']], ['get', [None, '', False], ['take_first']], ['get', [None, ''], ['take_first']], ['get', [], ['take_first']]]),
    ('TakeFirst output: a field of only empty strings is left out', {'default_out': 'take_first'}, None, [['add', 'a', ['', '']], ['add', 'b', ['', 'y']], ['add', 'c', 0], ['get_output', 'a'], ['load']]),
    ('TakeFirst output of a field never added', {'default_out': 'take_first'}, None, [['get_output', 'missing'], ['load']]),
    ('Join output', {'default_out': 'join'}, None, [['add', 'a', ['x', 'y']], ['add', 'b', []], ['add', 'c', ''], ['load']]),
    ('Join with a separator over an empty field', {'fields': {'a': {'out': 'join_comma'}}}, {'a': None}, [['get_output', 'a'], ['load']]),
    ('MapCompose input drops None results', {'fields': {'a': {'in': 'drop_b'}}}, None, [['add', 'a', ['a', 'b', 'c']], ['get_collected', 'a'], ['load']]),
    ('MapCompose input turning everything into None stores nothing', {'fields': {'a': {'in': 'map_to_none'}}}, None, [['add', 'a', ['a', 'b']], ['get_collected', 'a'], ['load']]),
    ('MapCompose input turning empty strings into None', {'default_in': 'empty_to_none'}, None, [['add', 'a', ['', 'x', '']], ['add', 'b', ''], ['get_collected', 'a'], ['get_collected', 'b'], ['load']]),
    ('MapCompose results zero and empty string are kept', {'fields': {'a': {'in': 'map_to_zero'}, 'b': {'in': 'map_to_empty_string'}}}, None, [['add', 'a', ['p', 'q']], ['add', 'b', 'p'], ['load']]),
    ('MapCompose flattens lists', {'default_in': 'double'}, None, [['add', 'a', ['p', 'q']], ['load']]),
    ('MapCompose of None', {}, None, [['get', None, ['upper']], ['get', [None], ['map_to_zero']]]),
    ('input processor returning zero stores nothing', {'fields': {'a': {'in': 'count'}}}, None, [['add', 'a', ['p', 'q']], ['add', 'a', []], ['get_collected', 'a'], ['load']]),
    ('input processor returning empty string stores nothing', {'fields': {'a': {'in': 'returns_empty_string'}}}, None, [['add', 'a', 'p'], ['get_collected', 'a'], ['load']]),
    ('input processor returning false stores nothing', {'fields': {'a': {'in': 'returns_false'}}}, None, [['add', 'a', 'p'], ['get_collected', 'a']]),
    ('input processor returning an empty dict stores nothing', {'fields': {'a': {'in': 'returns_empty_dict'}}}, None, [['add', 'a', 'p'], ['get_collected', 'a']]),
    ('input processor returning a string stores it', {'fields': {'a': {'in': 'returns_x'}}}, None, [['add', 'a', 'p'], ['add', 'a', None], ['add', 'a', []], ['get_collected', 'a']]),
    ('output processor returning zero sets zero', {'fields': {'a': {'out': 'count'}}}, None, [['add', 'a', []], ['get_output', 'a'], ['load']]),
    ('output processor returning zero for an initial empty field', {'fields': {'a': {'out': 'count'}}}, {'a': None}, [['get_output', 'a'], ['load']]),
    ('output processor returning None leaves the item field alone', {'fields': {'a': {'out': 'returns_none'}}}, {'a': 'orig'}, [['add', 'a', 'new'], ['load']]),
    ('output processor returning undefined leaves the item field alone', {'fields': {'a': {'out': 'returns_undefined'}}}, {'a': 'orig'}, [['add', 'a', 'new'], ['load']]),
    ('output processor returning empty string sets it', {'fields': {'a': {'out': 'returns_empty_string'}}}, None, [['add', 'a', 'new'], ['load']]),
    ('output processor returning false sets it', {'fields': {'a': {'out': 'returns_false'}}}, None, [['add', 'a', 'new'], ['load']]),
    ('Compose stops at None', {'fields': {'a': {'out': 'compose_none_then_x'}}}, None, [['add', 'a', 'p'], ['get_output', 'a'], ['load']]),
    ('Compose with stop_on_none off', {'fields': {'a': {'out': 'compose_none_then_x_no_stop'}}}, None, [['add', 'a', 'p'], ['load']]),
    ('Compose(TakeFirst, upper) over nothing', {'fields': {'a': {'out': 'compose_take_first_upper'}, 'b': {'out': 'compose_take_first_upper'}}}, {'a': None}, [['add', 'b', ['', 'q']], ['load']]),
    ('Compose(len) of an empty field is zero, set', {'fields': {'a': {'out': 'compose_count'}}}, {'a': None}, [['load']]),
    ('initial item: None becomes an empty list with Identity', {}, {'a': None, 'b': 'x', 'c': ['y', 'z'], 'd': 0, 'e': ''}, [['get_collected', 'a'], ['get_collected', 'd'], ['load']]),
    ('initial item with TakeFirst output', {'default_out': 'take_first'}, {'a': None, 'b': 'x', 'd': 0, 'e': ''}, [['add', 'b', 'y'], ['load']]),
    ('add_value with no field name and a dict', {}, None, [['add', None, {'a': 'x', 'b': None, 'c': '', 'd': []}], ['get_collected', 'a'], ['get_collected', 'b'], ['get_collected', 'c'], ['load']]),
    ('add_value with an empty field name and a dict', {}, None, [['add', '', {'a': 'x'}], ['load']]),
    ('replace_value with no field name and a dict', {}, None, [['add', 'a', 'x'], ['add', 'b', 'y'], ['replace', None, {'a': 'z', 'b': None}], ['load']]),
    ('add_value with no field name and None', {}, None, [['add', None, None], ['load']]),
    ('get_collected of a missing field', {}, None, [['get_collected', 'nope']]),
    ('css: empty selections store nothing', {}, None, [['add_css', 'price', '.price::text'], ['add_css', 'name', 'h1::text'], ['get_collected', 'price'], ['load']]),
    ('css with TakeFirst output and strip input', {'default_out': 'take_first', 'default_in': 'strip'}, None, [['add_css', 'name', '.p h1::text'], ['add_css', 'items', 'li::text'], ['load']]),
    ('css with empty_to_none input', {'default_in': 'empty_to_none'}, None, [['add_css', 'price', '.price::text'], ['add_css', 'items', 'li::text'], ['load']]),
    ('nested loader shares values and item', {'default_out': 'take_first'}, None, [['nested_add', '.q', 'name', 'h1::text'], ['add_css', 'name', '.p h1::text'], ['get_collected', 'name'], ['load']]),
    ('nested loader add None stores nothing', {}, None, [['nested_add_value', '.q', 'name', None], ['nested_add_value', '.q', 'name', ''], ['load']]),
    ('load twice: the second sees the same values', {'default_out': 'join'}, None, [['add', 'a', 'x'], ['load'], ['add', 'a', 'y'], ['load']]),
]


def make_loader(settings, item):
    attrs = {}
    if 'default_in' in settings:
        attrs['default_input_processor'] = PROCESSORS[settings['default_in']]
    if 'default_out' in settings:
        attrs['default_output_processor'] = PROCESSORS[settings['default_out']]
    for field, procs in settings.get('fields', {}).items():
        if 'in' in procs:
            attrs[field + '_in'] = PROCESSORS[procs['in']]
        if 'out' in procs:
            attrs[field + '_out'] = PROCESSORS[procs['out']]
    cls = type('OracleLoader', (ItemLoader,), attrs)
    return cls(item=dict(item) if item is not None else None, selector=Selector(text=HTML))


def run(settings, item, ops):
    loader = make_loader(settings, item)
    results = []
    for op in ops:
        kind = op[0]
        if kind in ('add', 'replace'):
            procs = [PROCESSORS[name] for name in (op[3] if len(op) > 3 else [])]
            re = op[4] if len(op) > 4 else None
            (loader.add_value if kind == 'add' else loader.replace_value)(op[1], op[2], *procs, re=re)
        elif kind == 'get':
            results.append(loader.get_value(op[1], *[PROCESSORS[name] for name in op[2]], re=op[3] if len(op) > 3 else None))
        elif kind == 'get_output':
            results.append(loader.get_output_value(op[1]))
        elif kind == 'get_collected':
            results.append(list(loader.get_collected_values(op[1])))
        elif kind == 'load':
            results.append(dict(loader.load_item()))
        elif kind == 'add_css':
            loader.add_css(op[1], op[2])
        elif kind == 'nested_add':
            loader.nested_css(op[1]).add_css(op[2], op[3])
        elif kind == 'nested_add_value':
            loader.nested_css(op[1]).add_value(op[2], op[3])
    return {'results': results, 'item': dict(loader.load_item())}


print(json.dumps({
    'html': HTML,
    'cases': [{'name': name, 'loader': settings, 'initial': item, 'ops': ops, **run(settings, item, ops)} for name, settings, item, ops in CASES],
}, indent=1))
