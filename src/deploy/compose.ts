/**
 * The compose model behind generate-compose.ts: a pure function of its arguments that returns the
 * text of a compose file, one service per general plus a one-shot client. No I/O here, no clock, no
 * randomness: the same arguments always give the same bytes, so the committed compose.yaml can be
 * checked against the generator in a test.
 *
 * The YAML is emitted by hand (a small block-style emitter for mappings, sequences and scalars), so
 * no YAML library is needed and the layout stays stable.
 */

export const STRATEGIES = ['loyal', 'equivocate', 'flip', 'silent', 'random'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const COMPOSE_DEFAULTS = {
  strategy: 'equivocate',
  roundTimeoutMs: 1000,
  image: 'byzantine-generals:latest',
  out: 'compose.yaml',
  port: 50051,
  /** Each general's Prometheus endpoint (METRICS_PORT), reachable inside the private network only. */
  metricsPort: 9464,
  metricsPath: '/metrics',
  /** Where a general writes its logs inside the container; ./logs on the host is mounted here. */
  containerLogDir: '/app/logs',
  hostLogDir: './logs',
  memLimit: '256m',
  nodeImage: 'node:20-bookworm-slim',
  network: 'byzantine',
  /** The keys directory beside the compose file (see src/auth/keys.ts for its layout). */
  hostKeyDir: './keys',
  /** Where the public keys (./keys/public, read-only) appear in every general. */
  containerPublicKeysDir: '/app/keys',
  /** Where compose puts a service's secrets. */
  secretsDir: '/run/secrets',
} as const;

/** Seeds of the random strategy are 32-bit. */
const MAX_SEED = 0xffff_ffff;

/** The most a round may wait for a silent sender: ten minutes. */
const MAX_ROUND_TIMEOUT_MS = 600_000;

/** One traitor: its general id and the strategy it plays, as the general's TRAITOR variable reads it. */
export interface Traitor {
  readonly id: number;
  /** A strategy name, or `random:SEED`. */
  readonly strategy: string;
}

export interface ComposeOptions {
  readonly generals: number;
  /** Sorted by id, no id twice, every id in 0..generals-1. */
  readonly traitors: readonly Traitor[];
  readonly roundTimeoutMs: number;
  readonly image: string;
  /**
   * Sign and verify every message (the default): each general gets its own private key as a compose
   * secret and every public key; the client gets its own key. False (--no-auth): AUTH=off everywhere,
   * no keys, no secrets.
   */
  readonly auth: boolean;
}

export type GenerateComposeRequest =
  | { readonly kind: 'help' }
  | { readonly kind: 'generate'; readonly options: ComposeOptions; readonly out: string };

/** Bad arguments: every problem found, each naming the bad value and what is expected. */
export class ComposeArgumentError extends Error {
  override readonly name = 'ComposeArgumentError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

export const COMPOSE_USAGE = `Usage: npx tsx generate-compose.ts N TRAITORS [options]

Writes a compose file with one container per general (general-0 is the commander) and a one-shot
client container, all from one image.

Arguments:
  N                     number of generals, at least 2
  TRAITORS              comma list of traitor ids in 0..N-1, each optionally with a strategy:
                        3,4,7  or  3:flip,4:silent,5:random:42;  "" or none for no traitors

Options:
  --strategy S          strategy of traitors listed without one: loyal, equivocate, flip, silent, random:SEED
                        (default ${COMPOSE_DEFAULTS.strategy})
  --round-timeout MS    how long a round waits for missing senders, in ms (default ${COMPOSE_DEFAULTS.roundTimeoutMs})
  --image NAME          image every service runs (default ${COMPOSE_DEFAULTS.image})
  --out FILE            where to write (default ${COMPOSE_DEFAULTS.out}); ./logs and ./keys are created beside it
  --no-auth             no keys and no signatures: AUTH=off in every container (to see what goes
                        wrong when any process on the network can speak for a general)
  -h, --help            show this help

Keys (unless --no-auth): ./keys beside the compose file holds an Ed25519 key pair per general and one
for the client: keys/private/<name>.pem (mode 0600, in a 0700 directory) and keys/public/<name>.pem.
Existing pairs are kept, missing ones created; delete ./keys and rerun to rotate them all. Each
general gets only its own private key, as a compose secret (/run/secrets/general_<id>_key), and
./keys/public read-only at /app/keys; the client gets only its own (/run/secrets/client_key). The
compose file names the key files, never their contents. The containers run as $UID:$GID
(1000:1000 unless exported) and the keys are 0600: before \`docker compose up\`, run
  export UID GID=$(id -g)
so the containers run as the owner of the keys. Keep ./keys out of git and out of images.

Traitors: OM(t), the client's default, needs N > 3t; \`--algorithm sm\` on the client (signed
messages) tolerates any t up to N-2. The generator notes the bound in the file; the client enforces it.

Example:
  npx tsx generate-compose.ts 10 3,4,7
  docker compose up -d
  docker compose run client --order ATTACK --t 3
`;

const OPTION_NAMES = ['--strategy', '--round-timeout', '--image', '--out'] as const;
type OptionName = (typeof OPTION_NAMES)[number];
/** Options that take no value. */
const SWITCH_NAMES = ['--no-auth'] as const;
type SwitchName = (typeof SWITCH_NAMES)[number];

const isSwitchName = (flag: string): flag is SwitchName => (SWITCH_NAMES as readonly string[]).includes(flag);

const isOptionName = (flag: string): flag is OptionName => (OPTION_NAMES as readonly string[]).includes(flag);

const WHOLE_NUMBER = /^\d+$/;
/** A Docker image reference: registry/name:tag or @digest, no spaces, nothing compose would interpolate. */
const IMAGE_REFERENCE = /^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?(@sha256:[a-f0-9]{64})?$/;

/** Checks one strategy spec; returns a problem message, or undefined when it is valid. */
export function strategyProblem(spec: string, where: string): string | undefined {
  if (spec === 'random') {
    // Left to itself, each container (and the client's roster) would draw a different seed.
    return `${where}: 'random' needs a seed here, so the general and the client's roster agree and the run can be replayed; write random:SEED, e.g. random:42`;
  }
  if ((STRATEGIES as readonly string[]).includes(spec)) return undefined;
  const seed = spec.startsWith('random:') ? spec.slice('random:'.length) : undefined;
  if (seed !== undefined && WHOLE_NUMBER.test(seed) && Number(seed) <= MAX_SEED) return undefined;
  return `${where}: unknown strategy '${spec}'; expected one of ${STRATEGIES.filter((s) => s !== 'random').join(', ')}, or random:SEED with SEED a whole number 0..${MAX_SEED}`;
}

/**
 * Parses the traitor list against n generals (n undefined when N itself was bad: ranges are then not
 * checked). Pushes problems; returns the traitors sorted by id.
 */
function parseTraitors(
  text: string,
  generals: number | undefined,
  defaultStrategy: string,
  problems: string[],
): Traitor[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return [];
  const traitors: Traitor[] = [];
  const seen = new Set<number>();
  const range = generals === undefined ? 'the range 0..N-1' : `0..${generals - 1}`;
  for (const raw of trimmed.split(',')) {
    const entry = raw.trim();
    if (entry === '') {
      problems.push(`TRAITORS '${text}': empty entry; expected a comma list of ids like 3,4,7`);
      continue;
    }
    const colon = entry.indexOf(':');
    const idText = colon === -1 ? entry : entry.slice(0, colon);
    const strategy = colon === -1 ? defaultStrategy : entry.slice(colon + 1);
    if (!WHOLE_NUMBER.test(idText)) {
      problems.push(
        `traitor '${entry}': '${idText}' is not a general id; expected a whole number in ${range}`,
      );
      continue;
    }
    const id = Number(idText);
    if (generals !== undefined && id >= generals) {
      problems.push(`traitor ${id} is out of range: with N=${generals} the ids are ${range}`);
      continue;
    }
    if (seen.has(id)) {
      problems.push(`traitor ${id} is listed more than once; list each traitor once`);
      continue;
    }
    if (colon !== -1) {
      const problem = strategyProblem(strategy, `traitor ${id}`);
      if (problem !== undefined) {
        problems.push(problem);
        continue;
      }
    }
    seen.add(id);
    traitors.push({ id, strategy });
  }
  return traitors.sort((a, b) => a.id - b.id);
}

/**
 * Parses generate-compose.ts's arguments (argv without node and the script). Throws
 * ComposeArgumentError naming every bad argument.
 */
export function parseGenerateComposeArgs(argv: readonly string[]): GenerateComposeRequest {
  const problems: string[] = [];
  const positional: string[] = [];
  const values = new Map<OptionName, string>();
  const switches = new Set<SwitchName>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    // A leading dash followed by a digit is a (bad) number, not an option: let the checks name it.
    if (!arg.startsWith('-') || /^-\d/.test(arg) || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (isSwitchName(flag)) {
      if (eq !== -1) problems.push(`${flag} takes no value; write it alone`);
      else if (switches.has(flag)) problems.push(`${flag} is given more than once; give it once`);
      switches.add(flag);
      continue;
    }
    if (!isOptionName(flag)) {
      problems.push(
        `unknown option '${flag}'; expected one of ${[...OPTION_NAMES, ...SWITCH_NAMES].join(', ')}, --help`,
      );
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      if (value !== undefined) i++;
    }
    if (value === undefined) {
      problems.push(`${flag} needs a value`);
      continue;
    }
    if (values.has(flag)) {
      problems.push(`${flag} is given more than once; give it once`);
      continue;
    }
    values.set(flag, value);
  }

  let generals: number | undefined;
  const nText = positional[0];
  if (nText === undefined) {
    problems.push('N is missing: give the number of generals (at least 2), then TRAITORS, e.g. 10 3,4,7');
  } else if (!WHOLE_NUMBER.test(nText) || Number(nText) < 2) {
    problems.push(`N '${nText}' is not a valid number of generals; expected a whole number, at least 2`);
  } else {
    generals = Number(nText);
  }

  const strategy = values.get('--strategy') ?? COMPOSE_DEFAULTS.strategy;
  const strategyIssue = strategyProblem(strategy, '--strategy');
  if (strategyIssue !== undefined) problems.push(strategyIssue);

  const traitorsText = positional[1];
  let traitors: Traitor[] = [];
  if (traitorsText === undefined) {
    if (nText !== undefined) {
      problems.push('TRAITORS is missing: give a comma list of traitor ids like 3,4,7, or none');
    }
  } else {
    traitors = parseTraitors(traitorsText, generals, strategy, problems);
  }
  if (positional.length > 2) {
    problems.push(
      `unexpected argument '${positional[2]}'; expected only N and TRAITORS (write traitors as one comma list)`,
    );
  }

  let roundTimeoutMs: number = COMPOSE_DEFAULTS.roundTimeoutMs;
  const timeoutText = values.get('--round-timeout');
  if (timeoutText !== undefined) {
    const ms = Number(timeoutText);
    if (!WHOLE_NUMBER.test(timeoutText) || ms < 1 || ms > MAX_ROUND_TIMEOUT_MS) {
      problems.push(
        `--round-timeout '${timeoutText}' is not valid; expected a whole number of milliseconds from 1 to ${MAX_ROUND_TIMEOUT_MS}`,
      );
    } else {
      roundTimeoutMs = ms;
    }
  }

  const image = values.get('--image') ?? COMPOSE_DEFAULTS.image;
  if (!IMAGE_REFERENCE.test(image)) {
    problems.push(
      `--image '${image}' is not a valid image name; expected something like ${COMPOSE_DEFAULTS.image} (lowercase name, optional :tag)`,
    );
  }

  const out = values.get('--out') ?? COMPOSE_DEFAULTS.out;
  if (out.trim() === '') problems.push('--out is empty; expected a file path such as compose.yaml');

  if (problems.length > 0 || generals === undefined) throw new ComposeArgumentError(problems);
  const auth = !switches.has('--no-auth');
  return { kind: 'generate', options: { generals, traitors, roundTimeoutMs, image, auth }, out };
}

// ---------------------------------------------------------------------------------------------
// The model: plain objects that mirror the compose file, in the order the keys are written.

export type YamlValue = string | number | boolean | readonly YamlValue[] | YamlMapping;
export interface YamlMapping {
  readonly [key: string]: YamlValue;
}

export const serviceName = (id: number): string => `general-${id}`;

/** PEERS: host:port of every general, index = general id; the hosts are the compose service names. */
export const peersOf = (generals: number): string =>
  Array.from({ length: generals }, (_, id) => `${serviceName(id)}:${COMPOSE_DEFAULTS.port}`).join(',');

/** TRAITORS for the client: every traitor with its strategy, e.g. 3:equivocate,4:flip. */
export const rosterOf = (traitors: readonly Traitor[]): string =>
  traitors.map((traitor) => `${traitor.id}:${traitor.strategy}`).join(',');

/** The command line that regenerates this file: the canonical spelling of the options. */
export function commandLineOf(options: ComposeOptions): string {
  const traitors =
    options.traitors.length === 0
      ? 'none'
      : options.traitors
          .map((t) => (t.strategy === COMPOSE_DEFAULTS.strategy ? `${t.id}` : `${t.id}:${t.strategy}`))
          .join(',');
  const parts = ['npx tsx generate-compose.ts', `${options.generals}`, traitors];
  if (options.roundTimeoutMs !== COMPOSE_DEFAULTS.roundTimeoutMs) {
    parts.push('--round-timeout', `${options.roundTimeoutMs}`);
  }
  if (options.image !== COMPOSE_DEFAULTS.image) parts.push('--image', options.image);
  if (!options.auth) parts.push('--no-auth');
  return parts.join(' ');
}

/**
 * Compose interpolates this from the invoking shell: `export UID GID=$(id -g)` makes the generals run
 * as the host user; unset, they run as 1000:1000 (the image's `node` user).
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation, not a JavaScript template
export const COMPOSE_USER = '${UID:-1000}:${GID:-1000}';

/** How every container is locked down: read-only root, no capabilities, no privilege gain, bounded memory. */
const HARDENING = {
  init: true,
  read_only: true,
  tmpfs: ['/tmp'],
  cap_drop: ['ALL'],
  security_opt: ['no-new-privileges:true'],
  mem_limit: COMPOSE_DEFAULTS.memLimit,
} as const satisfies YamlMapping;

/** The conventional scrape annotations, as container labels. */
const METRICS_LABELS = {
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': `${COMPOSE_DEFAULTS.metricsPort}`,
  'prometheus.io/path': COMPOSE_DEFAULTS.metricsPath,
} as const satisfies YamlMapping;

/** One image for every service: `docker compose up` builds it from the Dockerfile here if it is missing. */
const imageOf = (image: string): YamlMapping => ({
  image,
  build: {
    context: '.',
    args: { NODE_IMAGE: `\${NODE_IMAGE:-${COMPOSE_DEFAULTS.nodeImage}}` },
  },
});

/** The compose secret holding general `id`'s private key. */
export const generalSecretName = (id: number): string => `general_${id}_key`;
export const CLIENT_SECRET_NAME = 'client_key';

/** Where a secret appears inside the container that is given it. */
export const secretPathOf = (secret: string): string => `${COMPOSE_DEFAULTS.secretsDir}/${secret}`;

/** Each secret is a file reference on the host (keys/private/<name>.pem): never the key itself. */
function secretsOf(generals: number): YamlMapping {
  const file = (name: string) => ({ file: `${COMPOSE_DEFAULTS.hostKeyDir}/private/${name}.pem` });
  const secrets: Record<string, YamlValue> = {};
  for (let id = 0; id < generals; id++) secrets[generalSecretName(id)] = file(`general_${id}`);
  secrets[CLIENT_SECRET_NAME] = file('client');
  return secrets;
}

export function buildComposeModel(options: ComposeOptions): YamlMapping {
  const peers = peersOf(options.generals);
  const strategyById = new Map(options.traitors.map((t) => [t.id, t.strategy]));
  const services: Record<string, YamlValue> = {};

  for (let id = 0; id < options.generals; id++) {
    const secret = generalSecretName(id);
    // Its own private key only, and every public key (read-only): see docs/docker.md.
    const keys = options.auth
      ? {
          PRIVATE_KEY_FILE: secretPathOf(secret),
          CERTS_DIR: COMPOSE_DEFAULTS.containerPublicKeysDir,
        }
      : { AUTH: 'off' };
    const volumes = [`${COMPOSE_DEFAULTS.hostLogDir}:${COMPOSE_DEFAULTS.containerLogDir}`];
    if (options.auth) {
      volumes.push(`${COMPOSE_DEFAULTS.hostKeyDir}/public:${COMPOSE_DEFAULTS.containerPublicKeysDir}:ro`);
    }
    services[serviceName(id)] = {
      ...imageOf(options.image),
      command: ['general'],
      // The host user's ids, so the files in ./logs belong to whoever runs compose (see docs/docker.md).
      user: COMPOSE_USER,
      environment: {
        ID: `${id}`,
        TRAITOR: strategyById.get(id) ?? 'false',
        PEERS: peers,
        PORT: `${COMPOSE_DEFAULTS.port}`,
        ROUND_TIMEOUT_MS: `${options.roundTimeoutMs}`,
        LOG_DIR: COMPOSE_DEFAULTS.containerLogDir,
        METRICS_PORT: `${COMPOSE_DEFAULTS.metricsPort}`,
        ...keys,
      },
      // Exposed to the private network, never published; the labels tell a Prometheus that
      // discovers containers (docker_sd_configs) what to scrape: see docs/observability.md.
      expose: [`${COMPOSE_DEFAULTS.metricsPort}`],
      labels: METRICS_LABELS,
      volumes,
      ...(options.auth ? { secrets: [secret] } : {}),
      networks: [COMPOSE_DEFAULTS.network],
      restart: 'on-failure',
      stop_grace_period: '5s',
      // The probe starts a node process: every 10 s keeps a cluster of ten cheap on a small machine,
      // and a 10 s timeout leaves room for a slow start when that machine is busy.
      healthcheck: {
        test: ['CMD', 'node', '/app/dist/src/healthcheck.js'],
        interval: '10s',
        timeout: '10s',
        retries: 3,
        start_period: '30s',
      },
      ...HARDENING,
    };
  }

  services.client = {
    ...imageOf(options.image),
    profiles: ['client'],
    // `docker compose run client --order ATTACK --t 3` appends its flags to this entrypoint.
    entrypoint: ['node', 'dist/src/cli.js', 'client'],
    // As the generals: the host user's ids, so the client can read its 0600 key.
    user: COMPOSE_USER,
    environment: {
      PEERS: peers,
      TRAITORS: rosterOf(options.traitors),
      ...(options.auth
        ? {
            CLIENT_KEY_FILE: secretPathOf(CLIENT_SECRET_NAME),
            CERTS_DIR: COMPOSE_DEFAULTS.containerPublicKeysDir,
          }
        : { AUTH: 'off' }),
    },
    ...(options.auth
      ? { volumes: [`${COMPOSE_DEFAULTS.hostKeyDir}/public:${COMPOSE_DEFAULTS.containerPublicKeysDir}:ro`] }
      : {}),
    ...(options.auth ? { secrets: [CLIENT_SECRET_NAME] } : {}),
    depends_on: Array.from({ length: options.generals }, (_, id) => serviceName(id)),
    networks: [COMPOSE_DEFAULTS.network],
    healthcheck: { disable: true },
    ...HARDENING,
  };

  return {
    services,
    networks: {
      // Private (nothing published, nothing reaches in) but not `internal: true`: on an internal
      // network the DNS TXT query grpc-js makes for each peer's service config is never answered, and
      // the one-shot client stays alive for ~25 s after printing its result, waiting on it.
      [COMPOSE_DEFAULTS.network]: { driver: 'bridge' },
    },
    // File secrets: compose bind-mounts each file read-only at /run/secrets/<name>, keeping the
    // host file's owner and mode (0600), in v1 (1.27+, which reads this version-less format) and v2.
    ...(options.auth ? { secrets: secretsOf(options.generals) } : {}),
  };
}

function headerOf(options: ComposeOptions): string[] {
  const { generals, traitors } = options;
  const traitorText =
    traitors.length === 0 ? 'none' : traitors.map((t) => `${t.id} (${t.strategy})`).join(', ');
  const t = traitors.length;
  const lines = [
    'Generated by generate-compose.ts: do not edit by hand. Regenerate with:',
    `  ${commandLineOf(options)}`,
    '',
    `${generals} generals, one container each (general-0 is the commander); traitors: ${traitorText}.`,
    `Round timeout ${options.roundTimeoutMs} ms. No ports are published: everything talks on the`,
    `private network '${COMPOSE_DEFAULTS.network}', where each general serves Prometheus metrics on`,
    `port ${COMPOSE_DEFAULTS.metricsPort} at ${COMPOSE_DEFAULTS.metricsPath} (labels prometheus.io/*; docs/observability.md).`,
    '',
    ...(options.auth
      ? [
          'Keys: ./keys beside this file (made by the generator, kept on rerun; delete it and rerun to',
          'rotate). Each general gets only its own private key, keys/private/general_<id>.pem, as a',
          'secret, and keys/public read-only; the client gets only keys/private/client.pem. The keys',
          'are 0600: export UID and GID so the containers run as their owner.',
          '',
          '  export UID GID=$(id -g)     # the containers run as you: they can read their keys, ./logs files are yours',
        ]
      : [
          'No authentication (--no-auth): AUTH=off everywhere, no keys. Any process on the network',
          'can speak for any general or for the client.',
          '',
          '  export UID GID=$(id -g)     # optional: the generals run as you, so ./logs files are yours',
        ]),
    '  docker compose up -d       # or without -d, to follow each general joining, closing rounds, deciding',
    `  docker compose run client --order ATTACK --t ${t}`,
    '  docker compose logs general-1   # what general 1 printed: its progress, a line per event',
    '  ls logs/                   # general_<id>_intermediate.log, general_<id>_events.jsonl',
    '  docker compose down',
  ];
  if (generals <= 3 * t) {
    lines.push(
      '',
      `Note: ${generals} generals cannot tolerate ${t} traitors with oral messages (OM(t) needs N > 3t);`,
      'the client refuses such a --t unless given --allow-unsafe, or --algorithm sm (signed messages,',
      'any t up to N-2).',
    );
  }
  return lines.map((line) => (line === '' ? '#' : `# ${line}`));
}

/** The compose file for these options, as text. */
export function renderCompose(options: ComposeOptions): string {
  return `${headerOf(options).join('\n')}\n${emitYaml(buildComposeModel(options))}`;
}

// ---------------------------------------------------------------------------------------------
// A block-style YAML emitter for the subset the model uses.

const YAML_WORDS = /^(y|yes|n|no|true|false|on|off|null|~)$/i;
/** Plain (unquoted) in block context: starts with a letter or '/', no spaces, no ': ', no '#', no '$'. */
const PLAIN_BLOCK = /^[A-Za-z/][A-Za-z0-9_./:,@-]*$/;
/** Plain inside a flow sequence [a, b]: stricter, no ',' and no ':'. */
const PLAIN_FLOW = /^[A-Za-z/][A-Za-z0-9_./@-]*$/;
/** A sequence of scalars is written [a, b] when the line stays this short. */
const FLOW_WIDTH = 100;

type ScalarContext = 'block' | 'flow';

/** A string as a YAML scalar: plain when that cannot be misread, else double-quoted (JSON escapes). */
export function yamlString(text: string, context: ScalarContext = 'block'): string {
  const plain = context === 'block' ? PLAIN_BLOCK : PLAIN_FLOW;
  return plain.test(text) && !text.endsWith(':') && !YAML_WORDS.test(text) ? text : JSON.stringify(text);
}

function yamlScalar(value: string | number | boolean, context: ScalarContext): string {
  if (typeof value === 'string') return yamlString(value, context);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} as YAML`);
    return `${value}`;
  }
  return value ? 'true' : 'false';
}

const isSequence = (value: YamlValue): value is readonly YamlValue[] => Array.isArray(value);
const isMapping = (value: YamlValue): value is YamlMapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function scalarsOf(sequence: readonly YamlValue[]): (string | number | boolean)[] {
  return sequence.map((item) => {
    if (isSequence(item) || isMapping(item)) {
      throw new TypeError('the compose model puts only scalars in sequences');
    }
    return item;
  });
}

function emitMapping(mapping: YamlMapping, indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  for (const [key, child] of Object.entries(mapping)) {
    const name = `${pad}${yamlString(key)}:`;
    if (isSequence(child)) {
      const items = scalarsOf(child);
      const flow = `${name} [${items.map((item) => yamlScalar(item, 'flow')).join(', ')}]`;
      if (flow.length <= FLOW_WIDTH) {
        lines.push(flow);
      } else {
        lines.push(name, ...items.map((item) => `${pad}  - ${yamlScalar(item, 'block')}`));
      }
    } else if (isMapping(child)) {
      if (Object.keys(child).length === 0) {
        lines.push(`${name} {}`);
      } else {
        lines.push(name);
        emitMapping(child, indent + 2, lines);
      }
    } else {
      lines.push(`${name} ${yamlScalar(child, 'block')}`);
    }
  }
}

/** YAML text for a mapping, ending with a newline. */
export function emitYaml(value: YamlMapping): string {
  const lines: string[] = [];
  emitMapping(value, 0, lines);
  return `${lines.join('\n')}\n`;
}
