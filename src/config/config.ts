import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ALGORITHMS, type Algorithm, maximumTraitors } from '../core/algorithm.js';
import { MAX_VALUES_PER_LIEUTENANT, valuesPerLieutenant } from '../core/om/counts.js';
import { type Order, Order as Orders } from '../core/order.js';
import { parseStrategy, type Strategy, StrategyParseError } from '../core/strategy.js';
import { VALUE_LINES, type ValueLines } from '../log/general-log.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../log/progress-log.js';
import { type GeneralFaults, hasFaults, parseDropList, parseFaultFlags } from './faults.js';

/**
 * Every input of every command is parsed here, once, by zod: env for a general, flags for the rest.
 * A failure lists every problem at once, each naming the variable or flag and what is expected.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export type Roster = Map<number, Strategy>;
export type SeedSource = () => number;
const freshSeed: SeedSource = () => randomInt(0, 2 ** 32 - 1);

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

const HOST_PORT = /^([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;

function parseHostPort(text: string): HostPort | undefined {
  const match = HOST_PORT.exec(text.trim());
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const port = Number(match[2]);
  return port >= 1 && port <= 65535 ? { host: match[1], port } : undefined;
}

export const formatHostPort = (p: HostPort) => `${p.host}:${p.port}`;

/** A comma list of host:port; the index of each is the general's id. */
const peersSchema = z.string().transform((text, ctx) => {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const peers: HostPort[] = [];
  for (const item of items) {
    const peer = parseHostPort(item);
    if (peer === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${item}" is not host:port (port 1..65535)` });
    } else peers.push(peer);
  }
  if (items.length < 2) {
    ctx.addIssue({
      code: 'custom',
      message: `needs at least 2 generals as host:port,host:port,..., got "${text}"`,
    });
  }
  return peers;
});

/** `3,4,7` (each equivocates) or `3:flip,4:silent,5:random:42`; `random` alone draws a seed. */
export function parseTraitors(
  text: string,
  seed: SeedSource = freshSeed,
): { roster: Roster; problems: string[] } {
  const roster: Roster = new Map();
  const problems: string[] = [];
  const seen = new Set<number>();
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return { roster, problems };
  for (const item of trimmed.split(',').map((s) => s.trim())) {
    const [idText = '', ...rest] = item.split(':');
    const id = Number(idText);
    if (!/^\d+$/.test(idText)) {
      problems.push(`"${item}": expected a general id (an integer), optionally :strategy`);
      continue;
    }
    if (seen.has(id)) {
      problems.push(`general ${id} is listed twice`);
      continue;
    }
    seen.add(id);
    const name = rest.join(':') || 'equivocate';
    try {
      roster.set(id, parseStrategy(name === 'random' ? `random:${seed()}` : name));
    } catch (error) {
      if (!(error instanceof StrategyParseError)) throw error;
      problems.push(`general ${id}: ${error.message}`);
    }
  }
  return { roster, problems };
}

/** TRAITOR: empty or false = loyal, true = equivocate, or a strategy name. */
export function parseTraitorEnv(text: string, seed: SeedSource = freshSeed): Strategy {
  const value = text.trim().toLowerCase();
  if (value === '' || value === 'false' || value === '0' || value === 'no') return { kind: 'loyal' };
  if (value === 'true' || value === '1' || value === 'yes') return { kind: 'equivocate' };
  return parseStrategy(value === 'random' ? `random:${seed()}` : value);
}

export const intIn = (min: number, max: number, what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `expected ${what}, an integer ${min}..${max}`)
    .transform(Number)
    .refine((v) => v >= min && v <= max, `expected ${what}, an integer ${min}..${max}`);

export const orderSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .refine((s): s is Order => s === Orders.ATTACK || s === Orders.RETREAT, 'expected ATTACK or RETREAT')
  .transform((s) => s as Order);

export const algorithmSchema = z
  .string()
  .trim()
  .transform((s) => s.toLowerCase())
  .refine((s): s is Algorithm => (ALGORITHMS as readonly string[]).includes(s), 'expected om, sm or king')
  .transform((s) => s as Algorithm);

const onOff = (what: string) =>
  z
    .string()
    .trim()
    .transform((s) => s.toLowerCase())
    .refine((s) => s === 'on' || s === 'off', `expected on or off (${what})`)
    .transform((s) => s === 'on');

/**
 * How a member of the cluster proves who it is and checks who speaks: mutual TLS with its private
 * key and the cluster's certificates (CERTS_DIR: ca.pem and certs.pem), or nothing (AUTH=off).
 */
export type MemberAuth =
  | { readonly mode: 'off' }
  | { readonly mode: 'on'; readonly keyFile: string; readonly certsDir: string };
export type GeneralAuth = MemberAuth;
export type ClientAuth = MemberAuth;

export function problemsOf(error: z.ZodError, label: (key: string) => string): string[] {
  return error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const message =
      issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return `${label(key)}: ${message}`;
  });
}

export interface GeneralConfig {
  readonly id: number;
  readonly strategy: Strategy;
  readonly peers: readonly HostPort[];
  readonly port: number;
  readonly host: string;
  readonly logDir: string;
  readonly roundTimeoutMs: number;
  readonly valueLines: ValueLines;
  /** Injected faults (FAULT_CRASH_ROUND, FAULT_DELAY_MS, FAULT_DROP_TO); absent when none. */
  readonly faults?: GeneralFaults;
  readonly auth: GeneralAuth;
  /** How batches travel to peers: one long-lived stream each (the default), or a unary call each. */
  readonly peerCalls: PeerCalls;
  /** Progress on stdout: text (the default) or json, and how much of it. */
  readonly logFormat: LogFormat;
  readonly logLevel: LogLevel;
  /** The Prometheus endpoint's port (0: a free one); absent: no endpoint. */
  readonly metricsPort?: number;
}

export const PEER_CALLS = ['stream', 'unary'] as const;
export type PeerCalls = (typeof PEER_CALLS)[number];

/** An optional env var where empty means unset. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

/** One of `names`, whatever its case or surrounding spaces. */
const oneOf = <const T extends readonly [string, ...string[]]>(names: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
    z.enum(names, { message: `expected ${names.slice(0, -1).join(', ')} or ${names.at(-1)}` }),
  );

const generalEnvSchema = z
  .object({
    ID: intIn(0, 999, 'the general id'),
    TRAITOR: z.string().default(''),
    TRAITOR_FILE: unsetIfEmpty(z.string().trim()),
    PEERS: peersSchema,
    PORT: intIn(0, 65535, 'the port to listen on').default(50051),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    LOG_DIR: z.string().trim().min(1, 'expected a directory').default('./logs'),
    ROUND_TIMEOUT_MS: intIn(1, 600_000, 'the round deadline in ms').default(1000),
    LOG_VALUES: z.enum(VALUE_LINES, { message: `expected ${VALUE_LINES.join(', ')}` }).default('auto'),
    FAULT_CRASH_ROUND: unsetIfEmpty(intIn(0, 20, 'the round at whose start this general exits')),
    FAULT_DELAY_MS: unsetIfEmpty(intIn(0, 600_000, 'how long to hold back each outgoing batch, ms')),
    FAULT_DROP_TO: z.string().default(''),
    AUTH: onOff('mutual TLS between generals and with the client').default(true),
    PEER_CALLS: z.enum(PEER_CALLS, { message: `expected ${PEER_CALLS.join(' or ')}` }).default('stream'),
    LOG_FORMAT: oneOf(LOG_FORMATS).default('text'),
    LOG_LEVEL: oneOf(LOG_LEVELS).default('info'),
    METRICS_PORT: unsetIfEmpty(intIn(0, 65535, 'the port of the Prometheus endpoint (0 picks a free one)')),
    PRIVATE_KEY_FILE: unsetIfEmpty(z.string().trim()),
    CERTS_DIR: unsetIfEmpty(z.string().trim()),
    PUBLIC_KEYS_DIR: unsetIfEmpty(z.string().trim()),
  })
  .superRefine((env, ctx) => {
    if (env.AUTH === true) {
      const needed = {
        PRIVATE_KEY_FILE: `this general's Ed25519 private key (PEM); generate-compose.ts writes keys/private/general_${env.ID}.pem`,
        CERTS_DIR: `the directory of the cluster's certificates (ca.pem and certs.pem); generate-compose.ts writes keys/public${env.PUBLIC_KEYS_DIR === undefined ? '' : ' (PUBLIC_KEYS_DIR is no longer read: generals speak mutual TLS now)'}`,
      } as const;
      for (const [name, what] of Object.entries(needed)) {
        if (env[name as keyof typeof needed] !== undefined) continue;
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `is required: ${what}; or set AUTH=off to run without authentication (any process that can reach a general could then speak for another)`,
        });
      }
    }
    const drop = parseDropList(env.FAULT_DROP_TO);
    const bad = [...drop.bad, ...drop.ids.filter((id) => id === env.ID || id >= env.PEERS.length)];
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['FAULT_DROP_TO'],
        message: `expected a comma list of other generals' ids (0..${env.PEERS.length - 1}, not ${env.ID}), got ${bad.map((b) => `"${b}"`).join(', ')}`,
      });
    }
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: `${env.METRICS_PORT} is PORT too: the metrics endpoint needs a port of its own`,
      });
    }
    if (env.ID >= env.PEERS.length && env.PEERS.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['ID'],
        message: `${env.ID} is out of range: PEERS lists ${env.PEERS.length} generals, so ID must be 0..${env.PEERS.length - 1}`,
      });
    }
  });

/** Reads a small text file named by the env (TRAITOR_FILE); injected so tests need no files. */
export type TextFileReader = (path: string) => string;
const readTextFile: TextFileReader = (path) => readFileSync(path, 'utf8');

/** The longest TRAITOR value a file may hold: `random:4294967295` is 17 characters. */
const MAX_TRAITOR_TEXT = 64;

/**
 * The TRAITOR value and where it came from. TRAITOR_FILE exists for orchestrators that cannot give
 * each replica its own env value (a Kubernetes StatefulSet mounts each pod's entry of one ConfigMap):
 * the file holds exactly what TRAITOR would.
 */
function traitorSource(
  env: NodeJS.ProcessEnv,
  readText: TextFileReader,
  problems: string[],
): { text: string; name: string } | undefined {
  const file = env.TRAITOR_FILE?.trim() ?? '';
  if (file === '') return { text: env.TRAITOR ?? '', name: 'TRAITOR' };
  if ((env.TRAITOR ?? '').trim() !== '') {
    problems.push(
      'TRAITOR_FILE: set together with TRAITOR; give one (TRAITOR_FILE names a file holding the TRAITOR value)',
    );
    return undefined;
  }
  let text: string;
  try {
    text = readText(file).trim();
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    problems.push(`TRAITOR_FILE: cannot read "${file}" (${why}); expected a file holding the TRAITOR value`);
    return undefined;
  }
  if (text.length > MAX_TRAITOR_TEXT) {
    problems.push(
      `TRAITOR_FILE: "${file}" holds ${text.length} characters; expected a TRAITOR value (a strategy name or true/false, at most ${MAX_TRAITOR_TEXT})`,
    );
    return undefined;
  }
  return { text, name: `TRAITOR_FILE ("${file}")` };
}

/**
 * A general's env: ID, TRAITOR (or TRAITOR_FILE), PEERS, PORT, HOST, LOG_DIR, LOG_VALUES, LOG_FORMAT,
 * LOG_LEVEL, METRICS_PORT, ROUND_TIMEOUT_MS, FAULT_*, AUTH (on by default), PRIVATE_KEY_FILE and
 * CERTS_DIR (required unless AUTH=off), PEER_CALLS.
 */
export function parseGeneralEnv(
  env: NodeJS.ProcessEnv,
  seed: SeedSource = freshSeed,
  readText: TextFileReader = readTextFile,
): GeneralConfig {
  const problems: string[] = [];
  const parsed = generalEnvSchema.safeParse(env);
  let strategy: Strategy = { kind: 'loyal' };
  const traitor = traitorSource(env, readText, problems);
  if (traitor !== undefined) {
    try {
      strategy = parseTraitorEnv(traitor.text, seed);
    } catch (error) {
      if (!(error instanceof StrategyParseError)) throw error;
      problems.push(`${traitor.name}: ${error.message}, or true/false`);
    }
  }
  if (!parsed.success) problems.unshift(...problemsOf(parsed.error, (key) => key));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    id: e.ID,
    strategy,
    peers: e.PEERS,
    port: e.PORT,
    host: e.HOST,
    logDir: e.LOG_DIR,
    roundTimeoutMs: e.ROUND_TIMEOUT_MS,
    valueLines: e.LOG_VALUES,
    peerCalls: e.PEER_CALLS,
    logFormat: e.LOG_FORMAT,
    logLevel: e.LOG_LEVEL,
    ...(e.METRICS_PORT === undefined ? {} : { metricsPort: e.METRICS_PORT }),
    auth:
      e.AUTH && e.PRIVATE_KEY_FILE !== undefined && e.CERTS_DIR !== undefined
        ? { mode: 'on', keyFile: e.PRIVATE_KEY_FILE, certsDir: e.CERTS_DIR }
        : { mode: 'off' },
    ...generalFaults(e.FAULT_CRASH_ROUND, e.FAULT_DELAY_MS, parseDropList(e.FAULT_DROP_TO).ids),
  };
}

function generalFaults(
  crashRound: number | undefined,
  delayMs: number | undefined,
  dropTo: number[],
): { faults?: GeneralFaults } {
  const faults: GeneralFaults = {
    ...(crashRound === undefined ? {} : { crashRound }),
    ...(delayMs === undefined || delayMs === 0 ? {} : { delayMs }),
    ...(dropTo.length === 0 ? {} : { dropTo }),
  };
  return hasFaults(faults) ? { faults } : {};
}

/** The bound of OM(t) and King, both unsigned: n > 3t, explained. */
export function unsafeBoundMessage(n: number, t: number, algorithm: Algorithm = 'om'): string {
  const name = algorithm === 'king' ? 'King(t)' : 'OM(t)';
  return `n=${n} generals cannot tolerate t=${t} traitors with oral messages: ${name} needs n > 3t (here 3t=${3 * t}), because with n <= 3t a traitor can make a loyal lieutenant unable to tell a lying commander from a lying lieutenant. Use t <= ${Math.max(0, Math.floor((n - 1) / 3))}, more generals, or --allow-unsafe to run it anyway and see the guarantee fail`;
}

/** n > 3t binds the unsigned algorithms, OM(t) and King; SM(t) needs only n >= t+2. */
export const boundByThirds = (algorithm: Algorithm | undefined) => algorithm === 'om' || algorithm === 'king';

/**
 * The deepest t a run may ask for: OM's messages grow as n^t, so 20 already bounds it far beyond
 * what any machine holds; King's grow as n^2 per phase, so t is bounded only by n <= 200 > 3t.
 */
export const MAX_T = { om: 20, sm: 20, king: 66 } as const satisfies Record<Algorithm, number>;

function checkDepth(t: number, algorithm: Algorithm | undefined, problems: string[]): void {
  if (algorithm === undefined || t <= MAX_T[algorithm]) return;
  problems.push(
    `--t: expected the number of traitors to tolerate, an integer 0..${MAX_T[algorithm]} under ${algorithm} (0..${MAX_T.king} under king, whose messages grow as n^2, not n^t)`,
  );
}

export const flagText = {
  order: '--order',
  t: '--t',
  generals: '--generals',
  traitors: '--traitors',
  peers: '--peers',
  timeout: '--timeout',
  wait: '--wait',
  basePort: '--base-port',
  roundTimeout: '--round-timeout',
  logDir: '--log-dir',
  algorithm: '--algorithm',
  auth: '--auth',
  key: '--key',
  certs: '--certs',
} as const;

const label = (key: string) => (flagText as Record<string, string>)[key] ?? `--${key}`;

export interface RunShape {
  readonly n: number;
  readonly t: number;
  readonly algorithm: Algorithm;
  readonly order: Order;
  readonly roster: Roster;
  readonly allowUnsafe: boolean;
  readonly json: boolean;
}

interface Shape {
  readonly n: number;
  readonly t: number;
  readonly roster: Roster;
  readonly allowUnsafe: boolean;
  /** Undefined when --algorithm itself is bad: then only the bound both algorithms share is checked. */
  readonly algorithm: Algorithm | undefined;
}

/** SM(t) works for any n >= t+2; the n > 3t bound is OM's and King's. */
function checkShape({ n, t, roster, allowUnsafe, algorithm }: Shape, problems: string[]): void {
  checkDepth(t, algorithm, problems);
  for (const id of roster.keys()) {
    if (id >= n) problems.push(`--traitors: general ${id} is out of range: ids are 0..${n - 1}`);
  }
  if (t > n - 2) {
    problems.push(
      `--t: ${t} is too deep for ${n} generals: t must be at most n-2=${n - 2} (SM(t) needs n >= t+2, a commander, t traitors and one loyal lieutenant)`,
    );
  } else if (boundByThirds(algorithm) && n <= 3 * t && !allowUnsafe) {
    problems.push(
      `--t: ${unsafeBoundMessage(n, t, algorithm)}; or --algorithm sm, which signed messages make safe for any n >= t+2`,
    );
  }
  if (algorithm === 'om' && t <= n - 2 && valuesPerLieutenant(n, t) > MAX_VALUES_PER_LIEUTENANT) {
    problems.push(
      `--t: OM(${t}) among ${n} generals means ${valuesPerLieutenant(n, t).toLocaleString('en-US')} values per lieutenant, each a node of its EIG tree in memory; a general holds at most ${MAX_VALUES_PER_LIEUTENANT.toLocaleString('en-US')}: use a smaller t, or --algorithm king, whose messages grow as n^2 per phase`,
    );
  }
}

const SM_NEEDS_KEYS =
  '--auth: off cannot run --algorithm sm: every SM order and relay is signed, so the generals need their keys';

export interface ClientConfig extends RunShape {
  readonly peers: readonly HostPort[];
  readonly timeoutMs: number | undefined;
  readonly waitMs: number;
  readonly roundTimeoutMs: number | undefined;
  readonly auth: ClientAuth;
}

const clientSchema = z.object({
  algorithm: algorithmSchema.default('om'),
  auth: onOff('mutual TLS with the client certificate').default(true),
  key: unsetIfEmpty(z.string().trim()),
  certs: unsetIfEmpty(z.string().trim()),
  order: orderSchema,
  t: intIn(0, MAX_T.king, 'the number of traitors to tolerate'),
  peers: peersSchema,
  traitors: z.string().default(''),
  timeout: intIn(1, 3_600_000, 'the run timeout in ms').optional(),
  wait: intIn(0, 600_000, 'how long to wait for generals to be healthy, in ms').default(30_000),
  roundTimeout: intIn(1, 600_000, 'the round deadline in ms').optional(),
  json: z.boolean().default(false),
  allowUnsafe: z.boolean().default(false),
});

/** Problems found while splitting argv into flags, carried to the parser that reports them all. */
export const FLAG_PROBLEMS = Symbol('flag problems');

export type FlagValues = { [name: string]: string | boolean | undefined; [FLAG_PROBLEMS]?: string[] };

export function flagProblems(flags: FlagValues): string[] {
  return flags[FLAG_PROBLEMS] ?? [];
}

/** The client's flags, with PEERS and TRAITORS from env when the flags are absent. */
export function parseClientConfig(
  flags: FlagValues,
  env: NodeJS.ProcessEnv,
  seed: SeedSource = freshSeed,
): ClientConfig {
  const input = {
    ...flags,
    peers: flags.peers ?? env.PEERS,
    traitors: flags.traitors ?? env.TRAITORS,
    auth: flags.auth ?? env.AUTH,
    key: flags.key ?? env.CLIENT_KEY_FILE,
    certs: flags.certs ?? env.CERTS_DIR,
  };
  const parsed = clientSchema.safeParse(input);
  const problems = flagProblems(flags);
  const envNames: Record<string, string> = {
    peers: '--peers (or PEERS)',
    auth: '--auth (or AUTH)',
    key: '--key (or CLIENT_KEY_FILE)',
    certs: '--certs (or CERTS_DIR)',
  };
  if (!parsed.success) problems.push(...problemsOf(parsed.error, (k) => envNames[k] ?? label(k)));
  const authOff =
    String(input.auth ?? '')
      .trim()
      .toLowerCase() === 'off';
  const needed = {
    key: "--key (or CLIENT_KEY_FILE): is required: the client's Ed25519 private key (PEM; generate-compose.ts writes keys/private/client.pem)",
    certs:
      "--certs (or CERTS_DIR): is required: the directory of the cluster's certificates, ca.pem and certs.pem (generate-compose.ts writes keys/public)",
  } as const;
  for (const [name, what] of Object.entries(needed)) {
    if (authOff || String(input[name as keyof typeof needed] ?? '').trim() !== '') continue;
    problems.push(`${what}; or --auth off (AUTH=off) for generals that run with AUTH=off`);
  }
  const traitors = parseTraitors(String(input.traitors ?? ''), seed);
  problems.push(...traitors.problems.map((p) => `--traitors (or TRAITORS): ${p}`));
  // The shape is checked whenever n and t themselves parsed, whatever else is wrong.
  const peers = clientSchema.shape.peers.safeParse(input.peers).data;
  const t = clientSchema.shape.t.safeParse(flags.t).data;
  const algorithm = clientSchema.shape.algorithm.safeParse(flags.algorithm).data;
  if (peers !== undefined && t !== undefined) {
    const allowUnsafe = flags.allowUnsafe === true;
    checkShape({ n: peers.length, t, roster: traitors.roster, allowUnsafe, algorithm }, problems);
  }
  if (algorithm === 'sm' && authOff) problems.push(SM_NEEDS_KEYS);
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const c = parsed.data;
  return {
    n: c.peers.length,
    t: c.t,
    algorithm: c.algorithm,
    auth:
      c.auth && c.key !== undefined && c.certs !== undefined
        ? { mode: 'on', keyFile: c.key, certsDir: c.certs }
        : { mode: 'off' },
    order: c.order,
    roster: traitors.roster,
    allowUnsafe: c.allowUnsafe,
    json: c.json,
    peers: c.peers,
    timeoutMs: c.timeout,
    waitMs: c.wait,
    roundTimeoutMs: c.roundTimeout,
  };
}

export interface LocalConfig extends RunShape {
  readonly basePort: number | undefined;
  readonly roundTimeoutMs: number;
  readonly logDir: string;
  readonly timeoutMs: number | undefined;
  /** `local` only: injected faults by general id; absent when none. */
  readonly faults?: ReadonlyMap<number, GeneralFaults>;
  /** `local`: mutual TLS with an ephemeral cluster CA (on by default). SM needs it for its chains. */
  readonly auth: boolean;
}

const runSchema = z.object({
  algorithm: algorithmSchema.default('om'),
  auth: onOff('mutual TLS with an ephemeral cluster CA').default(true),
  generals: intIn(2, 200, 'the number of generals').default(10),
  t: intIn(0, MAX_T.king, 'the number of traitors to tolerate').optional(),
  order: orderSchema.default(Orders.ATTACK),
  traitors: z.string().default(''),
  basePort: intIn(1024, 65000, 'the first port').optional(),
  roundTimeout: intIn(1, 600_000, 'the round deadline in ms').default(1000),
  logDir: z.string().trim().min(1).default('./logs'),
  timeout: intIn(1, 3_600_000, 'the run timeout in ms').optional(),
  json: z.boolean().default(false),
  allowUnsafe: z.boolean().default(false),
});

/**
 * The t a run takes when none is given: the most the algorithm tolerates among n generals, and for
 * OM no deeper than a general can hold in memory (n=19 tolerates 6, but holds 5).
 */
export function defaultTraitors(algorithm: Algorithm, n: number): number {
  let t = maximumTraitors(algorithm, n);
  if (algorithm === 'om') while (t > 0 && valuesPerLieutenant(n, t) > MAX_VALUES_PER_LIEUTENANT) t--;
  return t;
}

/** Flags of `local` and `simulate`. Without --t, t is defaultTraitors: the most n generals tolerate (and hold). */
export function parseRunConfig(flags: FlagValues, seed: SeedSource = freshSeed): LocalConfig {
  const parsed = runSchema.safeParse(flags);
  const problems = flagProblems(flags);
  if (!parsed.success) problems.push(...problemsOf(parsed.error, label));
  const traitors = parseTraitors(String(flags.traitors ?? ''), seed);
  problems.push(...traitors.problems.map((p) => `--traitors: ${p}`));
  // Ids are checked against --generals even when another flag is bad, so all problems show at once.
  const rawN = Number(flags.generals ?? 10);
  const faults = parseFaultFlags(flags, parsed.data?.generals ?? (Number.isInteger(rawN) ? rawN : 200));
  problems.push(...faults.problems);
  // The shape is checked whenever n and t themselves parsed, whatever else is wrong.
  const n = runSchema.shape.generals.safeParse(flags.generals).data;
  const tParsed = runSchema.shape.t.safeParse(flags.t);
  const algorithm = runSchema.shape.algorithm.safeParse(flags.algorithm).data;
  if (n !== undefined && tParsed.success) {
    const t = tParsed.data ?? defaultTraitors(algorithm ?? 'om', n);
    const allowUnsafe = flags.allowUnsafe === true;
    checkShape({ n, t, roster: traitors.roster, allowUnsafe, algorithm }, problems);
    const basePort = runSchema.shape.basePort.safeParse(flags.basePort).data;
    if (basePort !== undefined && basePort + n > 65535) {
      problems.push(`--base-port: ${basePort} + ${n} generals runs past port 65535`);
    }
  }
  if (algorithm === 'sm' && parsed.data?.auth === false) problems.push(SM_NEEDS_KEYS);
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const c = parsed.data;
  return {
    n: c.generals,
    t: c.t ?? defaultTraitors(c.algorithm, c.generals),
    algorithm: c.algorithm,
    auth: c.auth,
    order: c.order,
    roster: traitors.roster,
    allowUnsafe: c.allowUnsafe,
    json: c.json,
    basePort: c.basePort,
    roundTimeoutMs: c.roundTimeout,
    logDir: c.logDir,
    timeoutMs: c.timeout,
    ...(faults.faults.size > 0 ? { faults: faults.faults } : {}),
  };
}
