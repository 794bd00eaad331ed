import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** The installed version of a dependency, found from where it resolves (some do not export package.json). */
export function dependencyVersion(name: string): string {
  try {
    let folder = dirname(fileURLToPath(import.meta.resolve(name)));
    for (let depth = 0; depth < 16; depth++) {
      const manifest = join(folder, 'package.json');
      if (existsSync(manifest)) {
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string; version?: string};
        if (pkg.name === name && pkg.version) return pkg.version;
      }
      const parent = dirname(folder);
      if (parent === folder) break;
      folder = parent;
    }
  } catch {
    // Reported as unknown below.
  }
  return 'unknown';
}
