/**
 * stack.yaml for `docker stack deploy` over a Docker Swarm of several engines: one service per
 * general (one replica, the same image and env as compose), a one-shot client service, an attachable
 * overlay network, each general's private key as a Swarm secret given to that general only, the
 * public certificates as Swarm configs given to all. A pure function of the cluster.
 *
 * Differences from compose.yaml, each forced by Swarm: no `build` (every node pulls the image), no
 * `restart`, `mem_limit` or `depends_on` (ignored by stack deploy: `deploy:` holds the restart policy
 * and resources), no `security_opt` (stack deploy ignores it), the containers run as the image's
 * `node` user with the secrets handed to that uid (Swarm applies a secret's uid, gid and mode, unlike
 * compose), and the logs go to a named volume on each node instead of ./logs.
 */
import {
  boundNote,
  CERTS_DIR_FILES,
  CLUSTER_DEFAULTS,
  type Cluster,
  CREDENTIAL_FILES,
  clientCredentialsEnvironment,
  commandLineOf,
  DOCKER_HEALTHCHECK,
  exampleT,
  generalEnvironment,
  generalIds,
  generalName,
  METRICS_ANNOTATIONS,
  peersOf,
  rosterOf,
} from './cluster.js';
import { commentBlock, type YamlMapping, type YamlValue, yamlText } from './yaml.js';

export const SWARM_SETTINGS = {
  /** The stack file format: 3.9 is the newest that the docker CLI of engine 20.10 reads. */
  version: '3.9',
  network: 'byzantine',
  logsVolume: 'logs',
  secretsDir: '/run/secrets',
  /** The stack name the docs and the header use; `docker stack deploy ... NAME` picks another. */
  exampleStack: 'byzantine',
  /** How long the client waits for every general to be healthy: image pulls on new nodes take a while. */
  clientWaitMs: 120_000,
} as const;

/** The Swarm secret holding general `id`'s private key (the stack prefixes its own name). */
export const swarmSecretName = (id: number): string => `general_${id}_key`;
export const SWARM_CLIENT_SECRET = 'client_key';
/** The Swarm configs holding the public certificates every general and the client trust. */
export const SWARM_CONFIGS = { caCertificate: 'ca_pem', certificateBundle: 'certs_pem' } as const;

const hostFile = (path: string): string => `${CLUSTER_DEFAULTS.hostKeyDir}/${path}`;
const imageUser = `${CLUSTER_DEFAULTS.imageUser}`;

/** A private key as a secret: readable by the container's user only, never written. */
const secretFor = (name: string): YamlMapping => ({
  source: name,
  target: name,
  uid: imageUser,
  gid: imageUser,
  mode: 0o400,
});

/** ca.pem and certs.pem in CERTS_DIR, readable by anyone in the container: they are public. */
const certificateConfigs: readonly YamlMapping[] = [
  {
    source: SWARM_CONFIGS.caCertificate,
    target: `${CLUSTER_DEFAULTS.containerCertsDir}/${CERTS_DIR_FILES.caCertificate}`,
    mode: 0o444,
  },
  {
    source: SWARM_CONFIGS.certificateBundle,
    target: `${CLUSTER_DEFAULTS.containerCertsDir}/${CERTS_DIR_FILES.certificateBundle}`,
    mode: 0o444,
  },
];

/** Read-only root, every capability dropped, as the image's unprivileged user. */
const HARDENING = {
  user: `${imageUser}:${imageUser}`,
  init: true,
  read_only: true,
  tmpfs: ['/tmp'],
  cap_drop: ['ALL'],
} as const satisfies YamlMapping;

const resources = {
  limits: { memory: `${CLUSTER_DEFAULTS.memoryLimitMiB}M` },
  reservations: { memory: `${CLUSTER_DEFAULTS.memoryRequestMiB}M` },
} as const satisfies YamlMapping;

function generalService(cluster: Cluster, id: number, peers: string): YamlMapping {
  const secret = swarmSecretName(id);
  return {
    image: cluster.image,
    command: ['general'],
    environment: generalEnvironment(cluster, id, peers, `${SWARM_SETTINGS.secretsDir}/${secret}`),
    // Every port of a task is reachable on the overlay network; the labels tell a Prometheus that
    // discovers Swarm tasks (dockerswarm_sd_configs) what to scrape: see docs/observability.md.
    labels: { ...METRICS_ANNOTATIONS },
    // A volume on whichever node runs the task: `docker service logs` shows what the general prints,
    // the files hold its full log (docs/scale-out.md says how to gather them for `byzantine report`).
    volumes: [`${SWARM_SETTINGS.logsVolume}:${CLUSTER_DEFAULTS.containerLogDir}`],
    ...(cluster.credentials ? { secrets: [secretFor(secret)], configs: certificateConfigs } : {}),
    networks: [SWARM_SETTINGS.network],
    stop_grace_period: `${CLUSTER_DEFAULTS.stopGraceSeconds}s`,
    healthcheck: DOCKER_HEALTHCHECK,
    ...HARDENING,
    deploy: {
      replicas: 1,
      // No virtual IP: `general-3` resolves to the task itself, so a general's peers reach it directly.
      endpoint_mode: 'dnsrr',
      resources,
      restart_policy: { condition: 'on-failure', delay: '5s' },
      // No placement rule: each general is its own one-replica service, which max_replicas_per_node
      // and spread preferences (both per service) cannot spread; Swarm's scheduler does, by putting
      // each new task on the node with the fewest tasks.
    },
  };
}

function clientService(cluster: Cluster, peers: string): YamlMapping {
  return {
    image: cluster.image,
    // `docker service update --args "..."` replaces the flags after this entrypoint.
    entrypoint: ['node', 'dist/src/cli.js', 'client'],
    command: ['--order', 'ATTACK', '--t', `${exampleT(cluster)}`, '--wait', `${SWARM_SETTINGS.clientWaitMs}`],
    environment: {
      PEERS: peers,
      TRAITORS: rosterOf(cluster),
      ...clientCredentialsEnvironment(cluster, `${SWARM_SETTINGS.secretsDir}/${SWARM_CLIENT_SECRET}`),
    },
    ...(cluster.credentials
      ? { secrets: [secretFor(SWARM_CLIENT_SECRET)], configs: certificateConfigs }
      : {}),
    networks: [SWARM_SETTINGS.network],
    // The image's HEALTHCHECK asks a general's health service: the client has none, and Swarm kills
    // a task whose probe keeps failing (a run that waits long for its generals would be cut short).
    healthcheck: { disable: true },
    ...HARDENING,
    deploy: {
      // Deploying starts no run: `docker service scale <stack>_client=1` runs the client once.
      replicas: 0,
      endpoint_mode: 'dnsrr',
      resources,
      // Once: its task ends Complete (exit 0) or Failed with the client's exit status.
      restart_policy: { condition: 'none' },
    },
  };
}

export function buildSwarmModel(cluster: Cluster): YamlMapping {
  const peers = peersOf(cluster);
  const services: Record<string, YamlValue> = {};
  for (const id of generalIds(cluster)) services[generalName(id)] = generalService(cluster, id, peers);
  services.client = clientService(cluster, peers);

  const secrets: Record<string, YamlValue> = {};
  for (const id of generalIds(cluster)) {
    secrets[swarmSecretName(id)] = { file: hostFile(CREDENTIAL_FILES.generalKey(id)) };
  }
  secrets[SWARM_CLIENT_SECRET] = { file: hostFile(CREDENTIAL_FILES.clientKey) };

  return {
    version: SWARM_SETTINGS.version,
    services,
    networks: {
      // Attachable: a one-off `docker run --network <stack>_byzantine` (grpcurl, a client) can join it.
      [SWARM_SETTINGS.network]: { driver: 'overlay', attachable: true },
    },
    volumes: { [SWARM_SETTINGS.logsVolume]: {} },
    ...(cluster.credentials
      ? {
          // File secrets and configs: `docker stack deploy` reads these files where it runs and
          // hands each to the nodes that run a task given it. Neither can change under a running
          // stack: `docker stack rm` before deploying rotated credentials.
          secrets,
          configs: {
            [SWARM_CONFIGS.caCertificate]: { file: hostFile(CREDENTIAL_FILES.caCertificate) },
            [SWARM_CONFIGS.certificateBundle]: { file: hostFile(CREDENTIAL_FILES.certificateBundle) },
          },
        }
      : {}),
  };
}

function headerOf(cluster: Cluster): string[] {
  const { generals, traitors } = cluster;
  const stack = SWARM_SETTINGS.exampleStack;
  const traitorText =
    traitors.length === 0 ? 'none' : traitors.map((t) => `${t.id} (${t.strategy})`).join(', ');
  return [
    'Generated by generate-compose.ts: do not edit by hand. Regenerate with:',
    `  ${commandLineOf(cluster, 'swarm')}`,
    '',
    `A Docker Swarm stack: ${generals} generals, one service each (general-0 is the commander).`,
    `Traitors: ${traitorText}. Round timeout ${cluster.roundTimeoutMs} ms.`,
    `No ports are published: everything talks on the attachable overlay network '${SWARM_SETTINGS.network}',`,
    `by service name (endpoint_mode dnsrr). Every node must be able to pull ${cluster.image}.`,
    '',
    ...(cluster.credentials
      ? [
          'Credentials: ./keys beside this file. Each general gets only its own private key as a Swarm',
          'secret; ca.pem and certs.pem are Swarm configs given to all; the client gets only its own key.',
          'Run `docker stack deploy` where ./keys is (it reads the files there).',
        ]
      : [
          'No authentication (--no-auth): AUTH=off everywhere, no credentials. Any process on the',
          'network can speak for any general or for the client.',
        ]),
    '',
    `  docker stack deploy -c stack.yaml ${stack}`,
    `  docker service scale ${stack}_client=1          # one run: the client's command below`,
    `  docker service logs --raw ${stack}_client       # its verdict`,
    `  docker service ps ${stack}_client               # Complete (exit 0) or Failed (non-zero exit)`,
    `  docker service update --args "--order RETREAT --t ${exampleT(cluster)}" ${stack}_client   # another run`,
    `  docker stack rm ${stack}`,
    ...boundNote(cluster),
  ];
}

/** The stack file for this cluster, as text. */
export function renderSwarm(cluster: Cluster): string {
  return commentBlock(headerOf(cluster)) + yamlText(buildSwarmModel(cluster));
}
