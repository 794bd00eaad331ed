#!/usr/bin/env node
import v8 from 'node:v8';
import {runCli} from '../dist/cli/startup.js';

// A crawl keeps a small live heap (~20 MB) but promotes a lot of short-lived garbage, and V8 lets the
// old generation grow to up to 4x the live heap before a full GC: a 20k-page crawl peaked at ~200 MB
// RSS. Growing it by 35% at most keeps that under 150 MB for a few % of CPU (docs/performance.md).
// A --heap-growing-percent given to node itself wins.
if (!process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent/.test(arg))) v8.setFlagsFromString('--heap-growing-percent=35');
// oclif loaded without what a crawl never uses (dist/cli/startup.js says what and why).
await runCli(import.meta.url);
