import type { Connector } from '../types.ts';
import { declarativeConnector } from './engine.ts';
import { DeclarativeManifest } from './manifest.ts';

/** A manifest file that does not hold: the process stops, saying which file and which field. */
export class ManifestError extends Error {
  constructor(file: string, issues: { path: PropertyKey[]; message: string }[]) {
    const lines = issues.map((i) => `  ${i.path.map(String).join('.') || '(the manifest)'}: ${i.message}`);
    super(`connector manifest ${file} is not valid:\n${lines.join('\n')}`);
    this.name = 'ManifestError';
  }
}

/** A connector from a manifest's JSON, checked against the manifest schema. */
export function connectorFromManifest(file: string, json: unknown): Connector {
  const parsed = DeclarativeManifest.safeParse(json);
  if (!parsed.success) throw new ManifestError(file, parsed.error.issues);
  return declarativeConnector(parsed.data);
}
