/**
 * Writes oclif.manifest.json after a build (`npm run build` runs it). Without the manifest, oclif
 * imports every command module (and all they import: the demo site, the benchmark, got, parse5…)
 * just to list them, whatever command runs: `dragline version` took 84 MB and a crawl carried that
 * code all along. With it, oclif loads only the command being run.
 */
import {writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Plugin} from '@oclif/core/config';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true});
await plugin.load();
writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify(plugin.manifest, null, 2) + '\n');
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`);
