/**
 * Writes the compose file for a cluster of generals:
 *
 *   npx tsx generate-compose.ts 10 3,4,7 [--strategy S] [--round-timeout MS] [--image NAME] [--out FILE]
 *
 * A thin shell around src/compose.ts: parse, render, write. Bad arguments print what is wrong and
 * what is expected, exit with status 2 and write nothing.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  COMPOSE_USAGE,
  ComposeArgumentError,
  parseGenerateComposeArgs,
  renderCompose,
  serviceName,
} from './src/compose.js';

export const EXIT = { ok: 0, badInput: 2 } as const;

/**
 * ./logs beside the compose file, where the generals write. Created now, as the user (left to Docker
 * it would be created owned by root), with mode 1777 like /tmp: the generals can write there whatever
 * uid they run as (UID, or 1000 when it is not exported), and the user who owns the directory can
 * still read and delete every file. Returns a note for the user when the mode could not be set.
 */
export const LOGS_DIR_MODE = 0o1777;

function prepareLogsDir(logsDir: string): string {
  mkdirSync(logsDir, { recursive: true });
  try {
    chmodSync(logsDir, LOGS_DIR_MODE);
    return '';
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return (
      `Note: could not make ${logsDir} writable for the containers (${why}).\n` +
      '  The generals run as $UID:$GID (1000:1000 unless exported): make sure that user can write there.\n'
    );
  }
}

export function main(argv: readonly string[]): number {
  let request: ReturnType<typeof parseGenerateComposeArgs>;
  try {
    request = parseGenerateComposeArgs(argv);
  } catch (error) {
    if (!(error instanceof ComposeArgumentError)) throw error;
    process.stderr.write(
      `generate-compose: ${error.problems.join('\ngenerate-compose: ')}\n` +
        'Run `npx tsx generate-compose.ts --help` for usage. Nothing was written.\n',
    );
    return EXIT.badInput;
  }
  if (request.kind === 'help') {
    process.stdout.write(COMPOSE_USAGE);
    return EXIT.ok;
  }

  const { options, out } = request;
  const text = renderCompose(options);
  const outPath = resolve(out);
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, text);
  const logsNote = prepareLogsDir(join(dirname(outPath), 'logs'));

  const traitors = options.traitors.map((t) => `${serviceName(t.id)} (${t.strategy})`).join(', ');
  process.stdout.write(
    `Wrote ${out}: ${options.generals} generals, traitors: ${traitors === '' ? 'none' : traitors}.\n` +
      'Next:\n' +
      '  docker compose up -d\n' +
      `  docker compose run client --order ATTACK --t ${options.traitors.length}\n` +
      logsNote,
  );
  return EXIT.ok;
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(resolve(invokedPath)).href) {
  process.exitCode = main(process.argv.slice(2));
}
