// got, imported without loading ICU's list-format data (see deferred-list-format.ts). The order of
// these imports is the point: ES modules are evaluated in it, so got's dependencies see the stand-in.
import {restoreListFormat} from './deferred-list-format.js';
import got from 'got';

restoreListFormat();

export {got};
