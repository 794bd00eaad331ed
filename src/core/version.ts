import {readFileSync} from 'node:fs';

/** dragline's version, from its package.json. */
export const DRAGLINE_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version;
