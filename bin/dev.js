#!/usr/bin/env node
// Runs the CLI from the TypeScript sources, without a build: `node bin/dev.js crawl ...`.
import {register} from 'tsx/esm/api';
import {execute} from '@oclif/core';

register();
await execute({development: true, dir: import.meta.url});
