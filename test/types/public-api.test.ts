/**
 * Every type a public signature names can be imported from 'dragline': a middleware author can
 * annotate a field with the Logger, the StatsCollector, the Job... The test walks the declarations
 * of everything dist/index.d.ts exports (private members aside) and lists each named class,
 * interface or exported type alias of dragline's own that the entry point does not export.
 */
import {expect, test} from '@jest/globals';
import {join} from 'node:path';
import ts from 'typescript';
import {REPO_ROOT} from '../helpers/cli.js';
import {STRICT_OPTIONS} from '../helpers/typecheck.js';

const DIST = join(REPO_ROOT, 'dist');
/** Named only by Selector's internal constructor form (`{tree, target}`, what its own queries make); users build selectors from text. */
const INTERNAL = new Set(['PageTree', 'Target']);

test('every type named in an exported declaration is exported from dragline', () => {
  const entry = join(DIST, 'index.d.ts');
  const program = ts.createProgram([entry], STRICT_OPTIONS);
  const checker = program.getTypeChecker();
  const resolve = (symbol: ts.Symbol): ts.Symbol => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  const exported = new Set(checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!).map(resolve));
  const missing = new Set<string>();
  // Named with a name a user could import: a class, an interface, or a type alias its module exports.
  const nameable = (declaration: ts.Declaration): boolean =>
    ts.isClassDeclaration(declaration) ||
    ts.isInterfaceDeclaration(declaration) ||
    (ts.isTypeAliasDeclaration(declaration) && (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Export) !== 0);

  const visit = (node: ts.Node): void => {
    if (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.PrivateKeyword)) return;
    const name = ts.isTypeReferenceNode(node) ? node.typeName : ts.isExpressionWithTypeArguments(node) ? node.expression : undefined;
    const symbol = name === undefined ? undefined : checker.getSymbolAtLocation(name);
    if (symbol !== undefined) {
      const target = resolve(symbol);
      const declaration = target.declarations?.[0];
      if (declaration !== undefined && declaration.getSourceFile().fileName.startsWith(DIST) && nameable(declaration) && !exported.has(target) && !INTERNAL.has(target.name)) {
        missing.add(`${target.name} (${declaration.getSourceFile().fileName.slice(DIST.length + 1)})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const symbol of exported) for (const declaration of symbol.declarations ?? []) visit(declaration);

  expect(exported.size).toBeGreaterThan(50);
  expect([...missing].sort()).toEqual([]);
});
