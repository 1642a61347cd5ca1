/**
 * generate-compose.ts's command line: N, TRAITORS and the options, checked all at once into a Cluster
 * and a target. Pure: no file is looked at here.
 */
import { CLUSTER_DEFAULTS, type Cluster, STRATEGIES, type Target, type Traitor } from './cluster.js';

/** Where each target is written unless --out says otherwise. */
export const DEFAULT_OUT: { readonly [target in Target]: string } = {
  compose: 'compose.yaml',
  swarm: 'stack.yaml',
  kubernetes: 'kubernetes.yaml',
};

/** Seeds of the random strategy are 32-bit. */
const MAX_SEED = 0xffff_ffff;

/** The most a round may wait for a silent sender: ten minutes, as the general's ROUND_TIMEOUT_MS. */
const MAX_ROUND_TIMEOUT_MS = 600_000;

/** A general's ID is 0..999 (see the general's env), so at most 1,000 generals. */
const MAX_GENERALS = 1000;

export type GenerateRequest =
  | { readonly kind: 'help' }
  | { readonly kind: 'generate'; readonly target: Target; readonly cluster: Cluster; readonly out: string };

/** Bad arguments: every problem found, each naming the bad value and what is expected. */
export class GenerateArgumentError extends Error {
  override readonly name = 'GenerateArgumentError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

export const GENERATE_USAGE = `Usage: npx tsx generate-compose.ts N TRAITORS [--swarm | --kubernetes] [options]

Writes the files that run a cluster of N generals (general-0 is the commander), each in its own
container from one image, and a one-shot client:
  (default)      compose.yaml for Docker Compose on one engine, and .env with your UID and GID
  --swarm        stack.yaml for \`docker stack deploy\` over a Docker Swarm of several engines
  --kubernetes   kubernetes.yaml for \`kubectl apply\`: a headless Service, a StatefulSet of generals,
                 their ConfigMap and the client's Job (the Secrets go to keys/kubernetes-secrets.yaml)

Arguments:
  N                     number of generals, 2 to ${MAX_GENERALS}
  TRAITORS              comma list of traitor ids in 0..N-1, each optionally with a strategy:
                        3,4,7  or  3:flip,4:silent,5:random:42;  "" or none for no traitors

Options:
  --swarm               write a Swarm stack instead of a compose file (default out: stack.yaml)
  --kubernetes          write Kubernetes manifests instead (default out: kubernetes.yaml)
  --strategy S          strategy of traitors listed without one: loyal, equivocate, flip, silent, random:SEED
                        (default ${CLUSTER_DEFAULTS.strategy})
  --round-timeout MS    how long a round waits for missing senders, in ms (default ${CLUSTER_DEFAULTS.roundTimeoutMs})
  --image NAME          image every container runs (default ${CLUSTER_DEFAULTS.image}); for Swarm and
                        Kubernetes, one every node can pull (registry/name:tag)
  --out FILE            where to write (default compose.yaml, stack.yaml or kubernetes.yaml); ./keys,
                        and for compose ./logs and .env, are beside it
  --no-auth             no credentials: AUTH=off in every container (to see what goes wrong when any
                        process on the network can speak for a general)
  -h, --help            show this help

Credentials (unless --no-auth): ./keys beside the file holds the cluster's CA (keys/ca, never mounted
anywhere), the public certificates (keys/public: ca.pem, certs.pem, one per general and the
client's) and one private key per general and for the client (keys/private, mode 0600 in a 0700
directory). Existing files are kept; delete ./keys and rerun to rotate them all. Each general gets
only its own private key, as a secret, and ca.pem and certs.pem read-only (CERTS_DIR); the client
gets only its own key. The generated files name the key files, never their contents.

Compose: the keys are 0600 and the containers run as \${UID:-1000}:\${GID:-1000}, so the generator
writes the keys' owner's UID and GID into .env beside compose.yaml, which Compose reads: the
commands below work as typed, for any user, root included. An existing .env keeps every other line;
one that sets UID or GID to other ids is refused, with what to change.

Traitors: OM(t), the client's default, needs N > 3t; \`--algorithm sm\` on the client (signed
messages) tolerates any t up to N-2; \`--algorithm king\` (the King algorithm) needs N > 3t like OM,
but its messages grow as N^2 per phase, not N^t, so it runs where OM cannot (say 31 generals, t=10).
The generator notes the bound in the file; the client enforces it.

Examples:
  npx tsx generate-compose.ts 10 3,4,7
  docker compose up -d
  docker compose run client --order ATTACK --t 3

  npx tsx generate-compose.ts 10 3,4,7 --swarm --image registry.example:5000/byzantine-generals:1
  docker stack deploy -c stack.yaml byzantine

  npx tsx generate-compose.ts 10 3,4,7 --kubernetes --image registry.example:5000/byzantine-generals:1
  kubectl apply -f keys/kubernetes-secrets.yaml -f kubernetes.yaml

docs/docker.md and docs/scale-out.md say the rest: reading the client's verdict, logs and reports.
`;

const OPTION_NAMES = ['--strategy', '--round-timeout', '--image', '--out'] as const;
type OptionName = (typeof OPTION_NAMES)[number];
/** Options that take no value. */
const SWITCH_NAMES = ['--no-auth', '--swarm', '--kubernetes'] as const;
type SwitchName = (typeof SWITCH_NAMES)[number];

const isSwitchName = (flag: string): flag is SwitchName => (SWITCH_NAMES as readonly string[]).includes(flag);

const isOptionName = (flag: string): flag is OptionName => (OPTION_NAMES as readonly string[]).includes(flag);

const WHOLE_NUMBER = /^\d+$/;
/** A Docker image reference: registry/name:tag or @digest, no spaces, nothing compose would interpolate. */
const IMAGE_REFERENCE =
  /^[a-z0-9][a-z0-9._-]*(:\d+)?(\/[a-z0-9][a-z0-9._-]*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?(@sha256:[a-f0-9]{64})?$/;

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

/** The target the switches pick: none for compose, one of --swarm and --kubernetes, never both. */
function targetOf(switches: ReadonlySet<SwitchName>, problems: string[]): Target {
  const swarm = switches.has('--swarm');
  const kubernetes = switches.has('--kubernetes');
  if (swarm && kubernetes) {
    problems.push(
      '--swarm and --kubernetes are both given; give one: each writes a different file (run the generator once for each)',
    );
  }
  if (swarm) return 'swarm';
  return kubernetes ? 'kubernetes' : 'compose';
}

/**
 * Parses generate-compose.ts's arguments (argv without node and the script). Throws
 * GenerateArgumentError naming every bad argument.
 */
export function parseGenerateArgs(argv: readonly string[]): GenerateRequest {
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
  } else if (!WHOLE_NUMBER.test(nText) || Number(nText) < 2 || Number(nText) > MAX_GENERALS) {
    problems.push(
      `N '${nText}' is not a valid number of generals; expected a whole number from 2 to ${MAX_GENERALS}`,
    );
  } else {
    generals = Number(nText);
  }

  const strategy = values.get('--strategy') ?? CLUSTER_DEFAULTS.strategy;
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

  let roundTimeoutMs: number = CLUSTER_DEFAULTS.roundTimeoutMs;
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

  const image = values.get('--image') ?? CLUSTER_DEFAULTS.image;
  if (!IMAGE_REFERENCE.test(image)) {
    problems.push(
      `--image '${image}' is not a valid image name; expected something like ${CLUSTER_DEFAULTS.image} or registry:5000/name:tag (lowercase name, optional :tag)`,
    );
  }

  const target = targetOf(switches, problems);
  const out = values.get('--out') ?? DEFAULT_OUT[target];
  if (out.trim() === '') problems.push(`--out is empty; expected a file path such as ${DEFAULT_OUT[target]}`);

  if (problems.length > 0 || generals === undefined) throw new GenerateArgumentError(problems);
  const credentials = !switches.has('--no-auth');
  return {
    kind: 'generate',
    target,
    cluster: { generals, traitors, roundTimeoutMs, image, credentials },
    out,
  };
}
