/**
 * The cluster model behind generate-compose.ts: how many generals, which are traitors and how they
 * lie, the image, the round deadline, and whether the generals speak mutual TLS with the cluster's
 * credentials. compose.ts, swarm.ts and kubernetes.ts are pure functions of it; nothing here reads a
 * file, a clock or the environment.
 */

export const STRATEGIES = ['loyal', 'equivocate', 'flip', 'silent', 'random'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** Where generate-compose.ts can send a cluster. */
export const TARGETS = ['compose', 'swarm', 'kubernetes'] as const;
export type Target = (typeof TARGETS)[number];

/** One traitor: its general id and the strategy it plays, as the general's TRAITOR variable reads it. */
export interface Traitor {
  readonly id: number;
  /** A strategy name, or `random:SEED`. */
  readonly strategy: string;
}

export interface Cluster {
  readonly generals: number;
  /** Sorted by id, no id twice, every id in 0..generals-1. */
  readonly traitors: readonly Traitor[];
  readonly roundTimeoutMs: number;
  readonly image: string;
  /**
   * Mutual TLS with the cluster's CA (the default): each general gets its own private key and the
   * public certificates; the client gets its own key. False (--no-auth): AUTH=off everywhere, no
   * credentials at all.
   */
  readonly credentials: boolean;
}

export const CLUSTER_DEFAULTS = {
  strategy: 'equivocate',
  roundTimeoutMs: 1000,
  image: 'byzantine-generals:latest',
  port: 50051,
  /** Each general's Prometheus endpoint (METRICS_PORT), reachable inside the cluster only. */
  metricsPort: 9464,
  metricsPath: '/metrics',
  /** Where a general writes its logs inside its container. */
  containerLogDir: '/app/logs',
  /** CERTS_DIR inside every container: ca.pem and certs.pem. */
  containerCertsDir: '/app/certs',
  /** The keys directory beside the generated file (see CREDENTIAL_FILES). */
  hostKeyDir: './keys',
  /** The memory a general may use; a run of 100 generals at t=3 stays well under it. */
  memoryLimitMiB: 256,
  /** The memory a general is sure to need: what a scheduler reserves when it places one. */
  memoryRequestMiB: 64,
  /** How long a general gets to close its streams and flush its logs after SIGTERM. */
  stopGraceSeconds: 5,
  /** The uid and gid of the image's unprivileged `node` user. */
  imageUser: 1000,
} as const;

/**
 * The credentials layout inside the keys directory (shared with src/auth, which writes it):
 * the CA's key stays with the generator; everything under public/ may be shown to anyone; each file
 * under private/ goes to exactly one container.
 */
export const CREDENTIAL_FILES = {
  caKey: 'ca/ca-key.pem',
  caCertificate: 'public/ca.pem',
  certificateBundle: 'public/certs.pem',
  generalCertificate: (id: number) => `public/general_${id}.pem`,
  clientCertificate: 'public/client.pem',
  generalKey: (id: number) => `private/general_${id}.pem`,
  clientKey: 'private/client.pem',
} as const;

/** The files a general or the client finds in CERTS_DIR. */
export const CERTS_DIR_FILES = { caCertificate: 'ca.pem', certificateBundle: 'certs.pem' } as const;

/** The seed's and the compose file's name for general `id`: its host name on the cluster's network. */
export const generalName = (id: number): string => `general-${id}`;

export const generalIds = (cluster: Cluster): number[] =>
  Array.from({ length: cluster.generals }, (_, id) => id);

/** PEERS: host:port of every general, index = general id, each host given by `hostOf`. */
export const peersOf = (cluster: Cluster, hostOf: (id: number) => string = generalName): string =>
  generalIds(cluster)
    .map((id) => `${hostOf(id)}:${CLUSTER_DEFAULTS.port}`)
    .join(',');

/** TRAITORS for the client: every traitor with its strategy, e.g. 3:equivocate,4:flip. */
export const rosterOf = (cluster: Cluster): string =>
  cluster.traitors.map((traitor) => `${traitor.id}:${traitor.strategy}`).join(',');

/** General `id`'s TRAITOR value: its strategy, or false. */
export const traitorValueOf = (cluster: Cluster, id: number): string =>
  cluster.traitors.find((traitor) => traitor.id === id)?.strategy ?? 'false';

/** The t the examples use: as many as there are traitors. */
export const exampleT = (cluster: Cluster): number => cluster.traitors.length;

/** The flag that picks each target on generate-compose.ts's command line. */
export const TARGET_FLAGS: { readonly [target in Target]: readonly string[] } = {
  compose: [],
  swarm: ['--swarm'],
  kubernetes: ['--kubernetes'],
};

/** The command line that regenerates a file: the canonical spelling of the options. */
export function commandLineOf(cluster: Cluster, target: Target): string {
  const traitors =
    cluster.traitors.length === 0
      ? 'none'
      : cluster.traitors
          .map((t) => (t.strategy === CLUSTER_DEFAULTS.strategy ? `${t.id}` : `${t.id}:${t.strategy}`))
          .join(',');
  const parts = ['npx tsx generate-compose.ts', `${cluster.generals}`, traitors, ...TARGET_FLAGS[target]];
  if (cluster.roundTimeoutMs !== CLUSTER_DEFAULTS.roundTimeoutMs) {
    parts.push('--round-timeout', `${cluster.roundTimeoutMs}`);
  }
  if (cluster.image !== CLUSTER_DEFAULTS.image) parts.push('--image', cluster.image);
  if (!cluster.credentials) parts.push('--no-auth');
  return parts.join(' ');
}

/** The header note every target carries when OM cannot tolerate the listed traitors. */
export function boundNote(cluster: Cluster): string[] {
  const t = exampleT(cluster);
  if (cluster.generals > 3 * t) return [];
  return [
    '',
    `Note: ${cluster.generals} generals cannot tolerate ${t} traitors with oral messages (OM(t) needs N > 3t);`,
    'the client refuses such a --t unless given --allow-unsafe, or --algorithm sm (signed messages,',
    'any t up to N-2).',
  ];
}

/**
 * A general's environment, the same on every target but for where its credentials are mounted:
 * `keyFile` is its own private key inside its container.
 */
export function generalEnvironment(
  cluster: Cluster,
  id: number,
  peers: string,
  keyFile: string,
): { [name: string]: string } {
  return {
    ID: `${id}`,
    TRAITOR: traitorValueOf(cluster, id),
    PEERS: peers,
    PORT: `${CLUSTER_DEFAULTS.port}`,
    ROUND_TIMEOUT_MS: `${cluster.roundTimeoutMs}`,
    LOG_DIR: CLUSTER_DEFAULTS.containerLogDir,
    METRICS_PORT: `${CLUSTER_DEFAULTS.metricsPort}`,
    ...credentialsEnvironment(cluster, { PRIVATE_KEY_FILE: keyFile }),
  };
}

/** The client's credentials env: its own key and CERTS_DIR, or AUTH=off. */
export const clientCredentialsEnvironment = (cluster: Cluster, keyFile: string): { [name: string]: string } =>
  credentialsEnvironment(cluster, { CLIENT_KEY_FILE: keyFile });

function credentialsEnvironment(
  cluster: Cluster,
  key: { readonly [name: string]: string },
): { [name: string]: string } {
  return cluster.credentials ? { ...key, CERTS_DIR: CLUSTER_DEFAULTS.containerCertsDir } : { AUTH: 'off' };
}

/** The conventional scrape annotations: labels in compose and Swarm, pod annotations in Kubernetes. */
export const METRICS_ANNOTATIONS = {
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': `${CLUSTER_DEFAULTS.metricsPort}`,
  'prometheus.io/path': CLUSTER_DEFAULTS.metricsPath,
} as const;

/** The probe every target runs in a general's container: the gRPC health service, with its own credentials. */
export const HEALTH_PROBE = ['node', '/app/dist/src/healthcheck.js'] as const;

/**
 * A general's health check in compose and Swarm files. The probe starts a node process: every 10 s
 * keeps a cluster of ten cheap on a small machine, and a 10 s timeout leaves room for a slow start
 * when that machine is busy.
 */
export const DOCKER_HEALTHCHECK = {
  test: ['CMD', ...HEALTH_PROBE],
  interval: '10s',
  timeout: '10s',
  retries: 3,
  start_period: '30s',
} as const;
