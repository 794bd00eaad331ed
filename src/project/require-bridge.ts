import Module from 'node:module';

/**
 * tsx compiles a .ts file that is not in a `"type": "module"` package to CommonJS, so its
 * `import {Spider} from 'dragline'` becomes `require('dragline')`, which the ESM resolve hooks never
 * see. This bridge answers that require with the running dragline's already loaded ES module
 * namespace: the same `Spider` class the CLI uses, never a second copy.
 */
const BRIDGE_ID = '\0dragline-running-instance';

type ResolveFilename = (request: string, ...rest: unknown[]) => string;
type ModuleInternals = typeof Module & {_resolveFilename: ResolveFilename; _cache: Record<string, Module>};

let installed = false;

export function installRequireBridge(api: object): void {
  if (installed) return;
  installed = true;
  const internals = Module as ModuleInternals;
  const bridged = new Module(BRIDGE_ID);
  bridged.exports = api;
  bridged.loaded = true;
  internals._cache[BRIDGE_ID] = bridged;
  const original = internals._resolveFilename;
  internals._resolveFilename = function resolveDragline(this: unknown, request: string, ...rest: unknown[]): string {
    if (request === 'dragline') return BRIDGE_ID;
    return original.call(this, request, ...rest);
  };
}
