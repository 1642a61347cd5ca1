import { parseArgs } from 'node:util';
import { FLAG_PROBLEMS, type FlagValues } from '../config/config.js';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; help: string; default?: string }>;

/** kebab-case flag to the camelCase key the config schemas use. */
const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Parses `argv` against `spec`, collecting every unknown flag and stray argument rather than
 * stopping at the first. The problems travel with the values (under FLAG_PROBLEMS) so that the
 * config parser reports them together with its own: the user sees every problem at once.
 */
export function parseFlags(argv: readonly string[], spec: FlagSpec): FlagValues {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, { type }] of Object.entries(spec)) options[name] = { type };
  const { values, positionals } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
  });
  const problems: string[] = [];
  const out: FlagValues = {};
  for (const [name, value] of Object.entries(values)) {
    const known = spec[name];
    if (known === undefined) problems.push(`--${name}: unknown flag (see --help)`);
    else if (known.type === 'string' && typeof value !== 'string') problems.push(`--${name}: needs a value`);
    else if (value !== undefined) out[camel(name)] = value as string | boolean;
  }
  for (const stray of positionals)
    problems.push(`"${stray}": unexpected argument (flags take the form --name value)`);
  if (problems.length > 0) out[FLAG_PROBLEMS] = problems;
  return out;
}

export function helpText(usage: string, summary: string, spec: FlagSpec, footer = ''): string {
  const rows = Object.entries(spec).map(([name, f]) => {
    const left = `  --${name}${f.type === 'string' ? ' VALUE' : ''}`;
    const def = f.default === undefined ? '' : ` (default ${f.default})`;
    return `${left.padEnd(26)}${f.help}${def}`;
  });
  return [
    `usage: ${usage}`,
    '',
    summary,
    '',
    'flags:',
    ...rows,
    '  --help                  this text',
    footer,
  ]
    .filter((line, i, all) => !(line === '' && i === all.length - 1))
    .join('\n');
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}
