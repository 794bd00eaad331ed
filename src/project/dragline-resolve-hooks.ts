/**
 * Node module resolve hooks (registered with `module.register`) that send the bare specifier
 * `dragline` in a user's spider, pipeline or project file to the running dragline, so a project
 * works without installing dragline itself and every `Spider` is the CLI's own class.
 */
interface ResolveContext {
  conditions: string[];
  importAttributes?: Record<string, string>;
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{url: string; format?: string | null}>;

const fromSource = import.meta.url.endsWith('.ts');
const entryUrl = new URL(fromSource ? '../index.ts' : '../index.js', import.meta.url).href;
const packageJsonUrl = new URL('../../package.json', import.meta.url).href;

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  if (specifier === 'dragline') return {url: entryUrl, format: 'module', shortCircuit: true};
  if (specifier === 'dragline/package.json') return {url: packageJsonUrl, format: 'json', shortCircuit: true};
  return nextResolve(specifier, context);
}
