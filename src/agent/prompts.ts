import { readdirSync, readFileSync } from 'node:fs';

const PROMPTS_DIR = new URL('../../prompts/', import.meta.url);

export type Prompts = ReadonlyMap<string, string>;

/** Reads every `prompts/*.md` once at start; editing a prompt needs a restart, not a code change. */
export function loadPrompts(dir: URL = PROMPTS_DIR): Prompts {
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => [f.slice(0, -3), readFileSync(new URL(f, dir), 'utf8')]),
  );
}

/** Fills `{{name}}` placeholders; a placeholder with no value is an error, not a silent blank. */
export function renderPrompt(prompts: Prompts, name: string, vars: Record<string, string>): string {
  const template = prompts.get(name);
  if (template === undefined) throw new Error(`no prompt named ${name} in prompts/`);
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new Error(`prompt ${name} needs {{${key}}}`);
    return value;
  });
}
