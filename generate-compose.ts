/**
 * Writes the compose file for a cluster of generals:
 *
 *   npx tsx generate-compose.ts 10 3,4,7 [--strategy S] [--round-timeout MS] [--image NAME] [--out FILE] [--no-auth]
 *
 * A thin shell around src/deploy/compose.ts: parse, make the keys, render, write. Bad arguments print what
 * is wrong and what is expected, exit with status 2 and write nothing. Unless --no-auth, ./keys beside
 * the compose file gets a key pair per general and one for the client (existing pairs are kept).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureClusterCredentials, type IssuedCredentials } from './src/auth/cluster-ca.js';
import { KeyFileError } from './src/auth/key-files.js';
import {
  COMPOSE_USAGE,
  ComposeArgumentError,
  parseGenerateComposeArgs,
  renderCompose,
  serviceName,
} from './src/deploy/compose.js';

export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

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

/** What happened to the keys, for the user: which pairs were made now and which were kept. */
function keysReport(keyDir: string, written: IssuedCredentials): string {
  const list = (names: readonly string[]) => (names.length === 0 ? 'none' : names.join(', '));
  return (
    `Keys in ${keyDir}: created ${list(written.created)}; kept ${list(written.kept)}; ` +
    `${written.newAuthority ? 'a new' : 'the existing'} cluster CA issued every certificate.\n` +
    '  Private keys are mode 0600 and never leave keys/private (the CA key, keys/ca); delete keys/ and rerun to rotate them.\n'
  );
}

/**
 * The containers run as $UID:$GID, 1000:1000 unless exported, and must be able to read their 0600
 * keys: say so when the user would otherwise be surprised.
 */
function ownershipNote(): string {
  const uid = process.getuid?.();
  if (uid === undefined) return '';
  if (uid === 0) {
    return (
      'Note: you are root, so the keys belong to root. Either `export UID GID=$(id -g)` before `up` (the\n' +
      '  containers then run as uid 0, with every capability dropped), or hand the keys to the default\n' +
      '  container user: chown 1000:1000 keys/private/*.pem\n'
    );
  }
  return '';
}

export async function main(argv: readonly string[]): Promise<number> {
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
  let keysNote = '';
  if (options.auth) {
    const keyDir = join(dirname(outPath), 'keys');
    try {
      keysNote =
        keysReport(keyDir, await ensureClusterCredentials(keyDir, options.generals)) + ownershipNote();
    } catch (error) {
      const fileSystemError = typeof (error as NodeJS.ErrnoException).code === 'string';
      if (!(error instanceof KeyFileError) && !fileSystemError) throw error;
      const why = error instanceof Error ? error.message : String(error);
      process.stderr.write(
        `generate-compose: cannot prepare the keys in ${keyDir}: ${why}\n` +
          `Fix or delete ${keyDir} and rerun. ${out} was not written.\n`,
      );
      return EXIT.failed;
    }
  }
  writeFileSync(outPath, text);
  const logsNote = prepareLogsDir(join(dirname(outPath), 'logs'));

  const traitors = options.traitors.map((t) => `${serviceName(t.id)} (${t.strategy})`).join(', ');
  process.stdout.write(
    `Wrote ${out}: ${options.generals} generals, traitors: ${traitors === '' ? 'none' : traitors}.\n` +
      keysNote +
      'Next:\n' +
      (options.auth
        ? '  export UID GID=$(id -g)   # the containers run as you, the owner of the keys\n'
        : '') +
      '  docker compose up -d\n' +
      `  docker compose run client --order ATTACK --t ${options.traitors.length}\n` +
      logsNote,
  );
  return EXIT.ok;
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(resolve(invokedPath)).href) {
  process.exitCode = await main(process.argv.slice(2));
}
