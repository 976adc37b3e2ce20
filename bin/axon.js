#!/usr/bin/env node
// `npx axon …`: runs the TypeScript CLI through tsx's loader, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { cli } = await import('../src/cli.ts');
const code = await cli(process.argv.slice(2));
if (code !== 0 || process.argv[2] !== 'serve') process.exit(code);
