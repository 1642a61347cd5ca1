/**
 * compose.yaml for Docker Compose (v2 `docker compose`, or v1 `docker-compose` from 1.27): one
 * service per general plus a one-shot client, all from one image, on one engine. A pure function of
 * the cluster: the same cluster always gives the same bytes, so the committed compose.yaml can be
 * checked against the generator in a test.
 */
import {
  boundNote,
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

export const COMPOSE_SETTINGS = {
  hostLogDir: './logs',
  nodeImage: 'node:20-bookworm-slim',
  network: 'byzantine',
  /** Where compose puts a service's secrets. */
  secretsDir: '/run/secrets',
} as const;

/**
 * Compose interpolates this from the shell's environment, else from .env beside compose.yaml,
 * where generate-compose.ts writes the ids of the keys' owner; unset, 1000:1000 (the image's `node`).
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
  mem_limit: `${CLUSTER_DEFAULTS.memoryLimitMiB}m`,
} as const satisfies YamlMapping;

/** One image for every service: `docker compose up` builds it from the Dockerfile here if it is missing. */
const imageOf = (image: string): YamlMapping => ({
  image,
  build: {
    context: '.',
    args: { NODE_IMAGE: `\${NODE_IMAGE:-${COMPOSE_SETTINGS.nodeImage}}` },
  },
});

/** The compose secret holding general `id`'s private key. */
export const generalSecretName = (id: number): string => `general_${id}_key`;
export const CLIENT_SECRET_NAME = 'client_key';

/** Where a secret appears inside the container that is given it. */
export const secretPathOf = (secret: string): string => `${COMPOSE_SETTINGS.secretsDir}/${secret}`;

const hostFile = (path: string): string => `${CLUSTER_DEFAULTS.hostKeyDir}/${path}`;

/**
 * Every public certificate (ca.pem, certs.pem and the per-holder ones), read-only at CERTS_DIR. The
 * directory rather than the two files: a missing file would make Docker create a directory there.
 */
export const CERTS_VOLUME = `${hostFile('public')}:${CLUSTER_DEFAULTS.containerCertsDir}:ro`;

/** Each secret is a file reference on the host (keys/private/<name>.pem): never the key itself. */
function secretsOf(cluster: Cluster): YamlMapping {
  const secrets: Record<string, YamlValue> = {};
  for (const id of generalIds(cluster)) {
    secrets[generalSecretName(id)] = { file: hostFile(CREDENTIAL_FILES.generalKey(id)) };
  }
  secrets[CLIENT_SECRET_NAME] = { file: hostFile(CREDENTIAL_FILES.clientKey) };
  return secrets;
}

export function buildComposeModel(cluster: Cluster): YamlMapping {
  const peers = peersOf(cluster);
  const services: Record<string, YamlValue> = {};
  const logsVolume = `${COMPOSE_SETTINGS.hostLogDir}:${CLUSTER_DEFAULTS.containerLogDir}`;

  for (const id of generalIds(cluster)) {
    const secret = generalSecretName(id);
    services[generalName(id)] = {
      ...imageOf(cluster.image),
      command: ['general'],
      // The keys' owner's ids (from .env), so the general can read its 0600 key and ./logs files are
      // theirs (see docs/docker.md).
      user: COMPOSE_USER,
      environment: generalEnvironment(cluster, id, peers, secretPathOf(secret)),
      // Metrics exposed to the private network, never published; the labels tell a Prometheus that
      // discovers containers (docker_sd_configs) what to scrape: see docs/observability.md.
      expose: [`${CLUSTER_DEFAULTS.metricsPort}`],
      labels: { ...METRICS_ANNOTATIONS },
      // Its own private key only (a secret), and the public certificates read-only.
      volumes: cluster.credentials ? [logsVolume, CERTS_VOLUME] : [logsVolume],
      ...(cluster.credentials ? { secrets: [secret] } : {}),
      networks: [COMPOSE_SETTINGS.network],
      restart: 'on-failure',
      stop_grace_period: `${CLUSTER_DEFAULTS.stopGraceSeconds}s`,
      healthcheck: DOCKER_HEALTHCHECK,
      ...HARDENING,
    };
  }

  services.client = {
    ...imageOf(cluster.image),
    profiles: ['client'],
    // `docker compose run client --order ATTACK --t 3` appends its flags to this entrypoint.
    entrypoint: ['node', 'dist/src/cli.js', 'client'],
    // As the generals: the keys' owner's ids, so the client can read its 0600 key.
    user: COMPOSE_USER,
    environment: {
      PEERS: peers,
      TRAITORS: rosterOf(cluster),
      ...clientCredentialsEnvironment(cluster, secretPathOf(CLIENT_SECRET_NAME)),
    },
    ...(cluster.credentials ? { volumes: [CERTS_VOLUME], secrets: [CLIENT_SECRET_NAME] } : {}),
    depends_on: generalIds(cluster).map(generalName),
    networks: [COMPOSE_SETTINGS.network],
    healthcheck: { disable: true },
    ...HARDENING,
  };

  return {
    services,
    networks: {
      // Private (nothing published, nothing reaches in) but not `internal: true`: on an internal
      // network the DNS TXT query grpc-js makes for each peer's service config is never answered, and
      // the one-shot client stays alive for ~25 s after printing its result, waiting on it.
      [COMPOSE_SETTINGS.network]: { driver: 'bridge' },
    },
    // File secrets: compose bind-mounts each file read-only at /run/secrets/<name>, keeping the
    // host file's owner and mode (0600), in v1 (1.27+, which reads this version-less format) and v2.
    ...(cluster.credentials ? { secrets: secretsOf(cluster) } : {}),
  };
}

function headerOf(cluster: Cluster): string[] {
  const { generals, traitors } = cluster;
  const traitorText =
    traitors.length === 0 ? 'none' : traitors.map((t) => `${t.id} (${t.strategy})`).join(', ');
  return [
    'Generated by generate-compose.ts: do not edit by hand. Regenerate with:',
    `  ${commandLineOf(cluster, 'compose')}`,
    '',
    `${generals} generals, one container each (general-0 is the commander); traitors: ${traitorText}.`,
    `Round timeout ${cluster.roundTimeoutMs} ms. No ports are published: everything talks on the`,
    `private network '${COMPOSE_SETTINGS.network}', where each general serves Prometheus metrics on`,
    `port ${CLUSTER_DEFAULTS.metricsPort} at ${CLUSTER_DEFAULTS.metricsPath} (labels prometheus.io/*; docs/observability.md).`,
    '',
    ...(cluster.credentials
      ? [
          'Credentials: ./keys beside this file (made by the generator, kept on rerun; delete it and rerun',
          'to rotate). Each general gets only its own private key, keys/private/general_<id>.pem, as a',
          'secret, and keys/public (ca.pem, certs.pem) read-only; the client gets only',
          'keys/private/client.pem. The keys are 0600: the containers run as their owner, whose UID and',
          'GID the generator writes into .env beside this file.',
        ]
      : [
          'No authentication (--no-auth): AUTH=off everywhere, no credentials. Any process on the',
          'network can speak for any general or for the client.',
        ]),
    '',
    '  docker compose up -d       # or without -d, to follow each general joining, closing rounds, deciding',
    `  docker compose run client --order ATTACK --t ${exampleT(cluster)}`,
    '  docker compose logs general-1   # what general 1 printed: its progress, a line per event',
    '  ls logs/                   # general_<id>_intermediate.log, general_<id>_events.jsonl',
    '  docker compose down',
    ...boundNote(cluster),
  ];
}

/** The compose file for this cluster, as text. */
export function renderCompose(cluster: Cluster): string {
  return commentBlock(headerOf(cluster)) + yamlText(buildComposeModel(cluster));
}
