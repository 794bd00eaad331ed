import {fileURLToPath} from 'node:url';

// This file lives in src/project/ (run through tsx in development) or dist/project/ (built); the
// package root is two folders up either way.
const runningFromSource = import.meta.url.endsWith('.ts');

/** The root of the running dragline package (where package.json and templates/ are). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** The URL of the running dragline's public entry point, which `import 'dragline'` in a user's module must reach. */
export const DRAGLINE_ENTRY_URL = new URL(runningFromSource ? '../index.ts' : '../index.js', import.meta.url).href;
