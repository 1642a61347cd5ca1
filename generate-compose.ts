/**
 * Writes the files that run a cluster of generals: compose.yaml (and .env) for Docker Compose,
 * stack.yaml for a Docker Swarm (--swarm), or kubernetes.yaml for Kubernetes (--kubernetes):
 *
 *   npx tsx generate-compose.ts 10 3,4,7 [--swarm | --kubernetes] [--strategy S] [--round-timeout MS]
 *     [--image NAME] [--out FILE] [--no-auth]
 *
 * A thin shell around src/deploy/: parse, make the credentials, render, write. Bad arguments print
 * what is wrong and what is expected, exit with status 2 and write nothing. Unless --no-auth, ./keys
 * beside the written file gets the cluster's credentials (existing ones are kept).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureClusterCredentials, type IssuedCredentials } from './src/auth/cluster-ca.js';
import { KeyFileError } from './src/auth/key-files.js';
import {
  GENERATE_USAGE,
  GenerateArgumentError,
  type GenerateRequest,
  parseGenerateArgs,
} from './src/deploy/arguments.js';
import {
  type Cluster,
  CREDENTIAL_FILES,
  exampleT,
  generalIds,
  generalName,
  type Target,
} from './src/deploy/cluster.js';
import { renderCompose } from './src/deploy/compose.js';
import {
  type DotEnvPlan,
  keysOwner,
  MixedKeyOwnersError,
  type OwnerIds,
  planDotEnv,
} from './src/deploy/dotenv.js';
import {
  KUBERNETES_NAMES,
  kubernetesSecretFiles,
  renderKubernetes,
  renderKubernetesSecrets,
} from './src/deploy/kubernetes.js';
import { renderSwarm, SWARM_SETTINGS } from './src/deploy/swarm.js';

export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/**
 * ./logs beside the compose file, where the generals write. Created now, as the user (left to Docker
 * it would be created owned by root), with mode 1777 like /tmp: the generals can write there whatever
 * uid they run as, and the user who owns the directory can still read and delete every file.
 * Returns a note for the user when the mode could not be set.
 */
export const LOGS_DIR_MODE = 0o1777;

/** A step that cannot go on: the message says what is wrong and what was (not) written. */
class GenerateError extends Error {
  override readonly name = 'GenerateError';
}

function prepareLogsDir(logsDir: string): string {
  mkdirSync(logsDir, { recursive: true });
  try {
    chmodSync(logsDir, LOGS_DIR_MODE);
    return '';
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return (
      `Note: could not make ${logsDir} writable for the containers (${why}).\n` +
      '  The generals run as $UID:$GID from .env: make sure that user can write there.\n'
    );
  }
}

/** What happened to the keys, for the user: which were made now and which were kept. */
function keysReport(keyDir: string, written: IssuedCredentials): string {
  const list = (names: readonly string[]) => (names.length === 0 ? 'none' : names.join(', '));
  return (
    `Keys in ${keyDir}: created ${list(written.created)}; kept ${list(written.kept)}; ` +
    `${written.newAuthority ? 'a new' : 'the existing'} cluster CA issued every certificate.\n` +
    '  Private keys are mode 0600 and never leave keys/private (the CA key, keys/ca); delete keys/ and rerun to rotate them.\n'
  );
}

/** Makes the cluster's CA, keys and certificates in `keyDir`, keeping whatever is already there. */
async function ensureCredentials(keyDir: string, cluster: Cluster): Promise<string> {
  try {
    return keysReport(keyDir, await ensureClusterCredentials(keyDir, cluster.generals));
  } catch (error) {
    const fileSystemError = typeof (error as NodeJS.ErrnoException).code === 'string';
    if (!(error instanceof KeyFileError) && !fileSystemError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new GenerateError(
      `cannot prepare the keys in ${keyDir}: ${why}\nFix or delete ${keyDir} and rerun.`,
    );
  }
}

/**
 * Whom the containers must run as: the owner of the private keys, or with --no-auth the user running
 * this (so that the files in ./logs are theirs).
 */
function ownerIds(keyDir: string, cluster: Cluster): OwnerIds | undefined {
  if (!cluster.credentials) {
    const uid = process.getuid?.();
    const gid = process.getgid?.();
    return uid === undefined || gid === undefined ? undefined : { uid, gid };
  }
  const files = [
    ...generalIds(cluster).map((id) => CREDENTIAL_FILES.generalKey(id)),
    CREDENTIAL_FILES.clientKey,
  ]
    .map((path) => join(keyDir, path))
    .map((path) => ({ path, ...statSync(path) }));
  try {
    return keysOwner(join(keyDir, 'private'), files);
  } catch (error) {
    if (!(error instanceof MixedKeyOwnersError)) throw error;
    throw new GenerateError(error.message);
  }
}

/** .env beside compose.yaml: its plan, refused before anything is written when it conflicts. */
function dotEnvPlan(envPath: string, ids: OwnerIds | undefined, cluster: Cluster): DotEnvPlan | undefined {
  if (ids === undefined) return undefined;
  const existing = existsSync(envPath) ? readFileSync(envPath, 'utf8') : undefined;
  const plan = planDotEnv(envPath, existing, ids, cluster.credentials);
  if (plan.kind === 'conflict') throw new GenerateError(plan.problems.join('\n'));
  return plan;
}

/** Notes about .env for the user: what was written, and an exported UID/GID that would win over it. */
function dotEnvNote(envPath: string, plan: DotEnvPlan | undefined, ids: OwnerIds | undefined): string {
  if (ids === undefined || plan === undefined) {
    return 'Note: this system has no user ids; the containers run as 1000:1000 unless UID and GID are set.\n';
  }
  let note =
    plan.kind === 'write'
      ? `Wrote ${plan.added.map((name) => `${name}=${name === 'UID' ? ids.uid : ids.gid}`).join(' and ')} into ${envPath}: the containers run as ${ids.uid}:${ids.gid}.\n`
      : `${envPath} already says UID=${ids.uid} GID=${ids.gid}: the containers run as that.\n`;
  if (ids.uid === 0) {
    note +=
      '  That is root: inside the containers uid 0 has every capability dropped and no-new-privileges.\n';
  }
  for (const [name, value] of [
    ['UID', ids.uid],
    ['GID', ids.gid],
  ] as const) {
    const exported = process.env[name];
    if (exported !== undefined && exported !== `${value}`) {
      note += `Note: your environment exports ${name}=${exported}, which Compose uses instead of .env; unset it (or export ${name}=${value}).\n`;
    }
  }
  return note;
}

/** The credential files' contents for the Kubernetes Secrets, each missing one named. */
function readSecretFiles(keyDir: string, cluster: Cluster): Map<string, string> {
  const files = new Map<string, string>();
  const missing: string[] = [];
  for (const path of kubernetesSecretFiles(cluster)) {
    const full = join(keyDir, path);
    if (existsSync(full)) files.set(path, readFileSync(full, 'utf8'));
    else missing.push(full);
  }
  if (missing.length > 0) {
    throw new GenerateError(
      `the Kubernetes Secrets need ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} missing. ` +
        'The credentials step makes them; rerun it, or use --no-auth.',
    );
  }
  return files;
}

function nextSteps(target: Target, out: string, cluster: Cluster, secretsFile: string | undefined): string {
  const t = exampleT(cluster);
  switch (target) {
    case 'compose': {
      const file = out === 'compose.yaml' ? '' : ` -f ${out}`;
      return `Next:\n  docker compose${file} up -d\n  docker compose${file} run client --order ATTACK --t ${t}\n`;
    }
    case 'swarm': {
      const stack = SWARM_SETTINGS.exampleStack;
      return (
        `Next, on a swarm manager, from this directory${cluster.credentials ? ' (the stack reads ./keys)' : ''}:\n` +
        `  docker stack deploy -c ${out} ${stack}\n` +
        `  docker service scale ${stack}_client=1      # one run: --order ATTACK --t ${t}\n` +
        `  docker service logs --raw ${stack}_client   # its verdict; docs/scale-out.md has the rest\n`
      );
    }
    case 'kubernetes':
      return (
        'Next:\n' +
        `  kubectl apply${secretsFile === undefined ? '' : ` -f ${secretsFile}`} -f ${out}\n` +
        `  kubectl wait --for=condition=complete --timeout=600s job/${KUBERNETES_NAMES.clientJob}\n` +
        `  kubectl logs job/${KUBERNETES_NAMES.clientJob}   # the verdict; docs/scale-out.md has the rest\n`
      );
  }
}

async function generate(request: Extract<GenerateRequest, { kind: 'generate' }>): Promise<string> {
  const { target, cluster, out } = request;
  const outPath = resolve(out);
  const dir = dirname(outPath);
  const keyDir = join(dir, 'keys');
  mkdirSync(dir, { recursive: true });

  // Everything that can fail is decided before anything but the credentials is written.
  let notes = '';
  if (cluster.credentials) {
    notes += await ensureCredentials(keyDir, cluster);
  }
  const envPath = join(dir, '.env');
  const ids = target === 'compose' ? ownerIds(keyDir, cluster) : undefined;
  const envPlan = target === 'compose' ? dotEnvPlan(envPath, ids, cluster) : undefined;
  const secrets =
    target === 'kubernetes' && cluster.credentials
      ? renderKubernetesSecrets(cluster, readSecretFiles(keyDir, cluster))
      : undefined;

  const render = { compose: renderCompose, swarm: renderSwarm, kubernetes: renderKubernetes }[target];
  writeFileSync(outPath, render(cluster));
  let secretsFile: string | undefined;
  if (target === 'compose') {
    if (envPlan?.kind === 'write') writeFileSync(envPath, envPlan.text);
    notes += dotEnvNote(relative(process.cwd(), envPath) || '.env', envPlan, ids);
    notes += prepareLogsDir(join(dir, 'logs'));
  }
  if (secrets !== undefined) {
    const secretsPath = join(keyDir, KUBERNETES_NAMES.secretsFile);
    writeFileSync(secretsPath, secrets, { mode: 0o600 });
    chmodSync(secretsPath, 0o600);
    secretsFile = relative(process.cwd(), secretsPath);
    notes += `Wrote ${secretsFile} (mode 0600): the Secrets, with every private key; keep it out of git.\n`;
  }

  const traitors = cluster.traitors.map((t) => `${generalName(t.id)} (${t.strategy})`).join(', ');
  return (
    `Wrote ${out}: ${cluster.generals} generals, traitors: ${traitors === '' ? 'none' : traitors}.\n` +
    notes +
    nextSteps(target, out, cluster, secretsFile)
  );
}

export async function main(argv: readonly string[]): Promise<number> {
  let request: GenerateRequest;
  try {
    request = parseGenerateArgs(argv);
  } catch (error) {
    if (!(error instanceof GenerateArgumentError)) throw error;
    process.stderr.write(
      `generate-compose: ${error.problems.join('\ngenerate-compose: ')}\n` +
        'Run `npx tsx generate-compose.ts --help` for usage. Nothing was written.\n',
    );
    return EXIT.badInput;
  }
  if (request.kind === 'help') {
    process.stdout.write(GENERATE_USAGE);
    return EXIT.ok;
  }
  try {
    process.stdout.write(await generate(request));
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof GenerateError)) throw error;
    process.stderr.write(`generate-compose: ${error.message}\n${request.out} was not written.\n`);
    return EXIT.failed;
  }
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(resolve(invokedPath)).href) {
  process.exitCode = await main(process.argv.slice(2));
}
