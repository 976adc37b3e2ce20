// Loaded with `node --import`: reports each package a module is loaded from, one `package <name>` line on
// stderr, so a test can see what a process loaded.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function load(url, context, next) {
  const m = url.match(/node_modules\\/((@[^/]+\\/)?[^/]+)\\//);
  if (m) process.stderr.write('package ' + m[1] + '\\n');
  return next(url, context);
}`)}`,
);
