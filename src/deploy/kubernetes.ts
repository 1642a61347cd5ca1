/**
 * kubernetes.yaml for `kubectl apply`: a ConfigMap of each general's TRAITOR value, a headless
 * Service, a StatefulSet whose pods are the generals and a Job that runs the client once; and,
 * separately (it holds private keys), the Secrets. Pure functions of the cluster (and, for the
 * Secrets, of the credential files' contents).
 *
 * A StatefulSet's pods share one template, so nothing in it can name pod 3's key or pod 3's TRAITOR.
 * Each pod learns its ordinal from the label the StatefulSet controller puts on it,
 * apps.kubernetes.io/pod-index (Kubernetes 1.28 and later), through the downward API into ID; the
 * volume mounts then pick its own entry of the shared Secret and ConfigMap with
 * `subPathExpr: general_$(ID)...`, so the container sees its own private key and its own TRAITOR
 * and nothing else. docs/scale-out.md says what that does and does not protect.
 *
 * The objects are typed with kubernetes-models' interfaces, so the compiler refuses a misspelled
 * field; test/deploy/kubernetes.test.ts validates every object against the API schemas.
 */
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import {
  boundNote,
  CERTS_DIR_FILES,
  CLUSTER_DEFAULTS,
  type Cluster,
  CREDENTIAL_FILES,
  commandLineOf,
  exampleT,
  generalIds,
  HEALTH_PROBE,
  METRICS_ANNOTATIONS,
  peersOf,
  rosterOf,
  traitorValueOf,
} from './cluster.js';
import { yamlStream } from './yaml.js';

export const KUBERNETES_NAMES = {
  /** The StatefulSet: its pods are general-0, general-1, ... */
  statefulSet: 'general',
  /** The headless Service: general-3's stable name is general-3.generals in the namespace. */
  service: 'generals',
  traitors: 'byzantine-traitors',
  generalKeys: 'byzantine-general-keys',
  clientKey: 'byzantine-client-key',
  certificates: 'byzantine-certs',
  clientJob: 'byzantine-client',
  /** Where generate-compose.ts writes the Secrets, inside the keys directory (they hold private keys). */
  secretsFile: 'kubernetes-secrets.yaml',
} as const;

/** The label the StatefulSet controller gives each pod: its ordinal (Kubernetes 1.28+). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

const KUBERNETES_PATHS = {
  /** The pod's own private key: one entry of the shared Secret, by subPathExpr. */
  generalKey: '/run/secrets/byzantine/key.pem',
  /** The client's key Secret, mounted whole (it holds only client.pem). */
  clientKeyDir: '/run/secrets/byzantine',
  /** The pod's own TRAITOR value: one entry of the ConfigMap, by subPathExpr. */
  traitorFile: '/etc/byzantine/traitor',
} as const;

/** How long the client Job waits for every general to be healthy: pulling the image takes a while. */
const CLIENT_WAIT_MS = 300_000;

const APP = 'byzantine-generals';
const labelsOf = (component: 'general' | 'client'): { [key: string]: string } => ({
  'app.kubernetes.io/name': APP,
  'app.kubernetes.io/component': component,
});

/** The ConfigMap key and the Secret key of general `id`: what subPathExpr picks with $(ID). */
export const traitorKeyOf = (id: number): string => `general_${id}`;
export const generalKeyFileOf = (id: number): string => `general_${id}.pem`;
/** The same names with the pod's ID filled in by the kubelet. */
const OWN_TRAITOR_KEY = 'general_$(ID)';
const OWN_KEY_FILE = 'general_$(ID).pem';

/** general-3.generals:50051: the StatefulSet's stable name for each general, in the namespace. */
export const kubernetesPeersOf = (cluster: Cluster): string =>
  peersOf(cluster, (id) => `${KUBERNETES_NAMES.statefulSet}-${id}.${KUBERNETES_NAMES.service}`);

/** Unprivileged as the image's `node` user: the restricted Pod Security Standard. */
const podSecurity: IPodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: CLUSTER_DEFAULTS.imageUser,
  runAsGroup: CLUSTER_DEFAULTS.imageUser,
  // Secret files are owned by this group (mode 0440), so the container user can read its key.
  fsGroup: CLUSTER_DEFAULTS.imageUser,
  seccompProfile: { type: 'RuntimeDefault' },
};

const containerSecurity: ISecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

const resources: IResourceRequirements = {
  requests: { cpu: '50m', memory: `${CLUSTER_DEFAULTS.memoryRequestMiB}Mi` },
  limits: { cpu: '1', memory: `${CLUSTER_DEFAULTS.memoryLimitMiB}Mi` },
};

/**
 * The container's own health probe (an exec of the image's healthcheck), not the kubelet's gRPC
 * probe: that one speaks plaintext only, and a general with credentials answers mutual TLS only.
 */
const healthProbe = (periodSeconds: number, initialDelaySeconds: number): IProbe => ({
  exec: { command: [...HEALTH_PROBE] },
  initialDelaySeconds,
  periodSeconds,
  timeoutSeconds: 10,
  failureThreshold: 3,
});

const certificatesVolume: IVolume = {
  name: 'certs',
  secret: { secretName: KUBERNETES_NAMES.certificates, defaultMode: 0o444 },
};
const certificatesMount: IVolumeMount = {
  name: 'certs',
  mountPath: CLUSTER_DEFAULTS.containerCertsDir,
  readOnly: true,
};
const tmpVolume: IVolume = { name: 'tmp', emptyDir: {} };
const tmpMount: IVolumeMount = { name: 'tmp', mountPath: '/tmp' };

const credentialsEnv = (cluster: Cluster, key: IEnvVar): IEnvVar[] =>
  cluster.credentials
    ? [key, { name: 'CERTS_DIR', value: CLUSTER_DEFAULTS.containerCertsDir }]
    : [{ name: 'AUTH', value: 'off' }];

export function traitorsConfigMap(cluster: Cluster): IConfigMap {
  const data: { [key: string]: string } = {};
  for (const id of generalIds(cluster)) data[traitorKeyOf(id)] = traitorValueOf(cluster, id);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: KUBERNETES_NAMES.traitors, labels: labelsOf('general') },
    data,
  };
}

export function generalsService(): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: KUBERNETES_NAMES.service, labels: labelsOf('general') },
    spec: {
      // Headless: each general gets its own DNS name, general-<i>.generals, and no virtual IP.
      clusterIP: 'None',
      // A general's name resolves from the start, not only once it is ready: peers dial each other
      // while they come up, and a general that stops answering is one the run must see as silent.
      publishNotReadyAddresses: true,
      selector: labelsOf('general'),
      ports: [{ name: 'grpc', port: CLUSTER_DEFAULTS.port, targetPort: 'grpc' }],
    },
  };
}

function generalContainer(cluster: Cluster): IContainer {
  const mounts: IVolumeMount[] = [
    { name: 'logs', mountPath: CLUSTER_DEFAULTS.containerLogDir },
    tmpMount,
    // Its own TRAITOR value only: the ConfigMap's entry general_<ID>.
    {
      name: 'traitors',
      mountPath: KUBERNETES_PATHS.traitorFile,
      subPathExpr: OWN_TRAITOR_KEY,
      readOnly: true,
    },
  ];
  if (cluster.credentials) {
    // Its own private key only: the Secret's entry general_<ID>.pem.
    mounts.push(
      { name: 'key', mountPath: KUBERNETES_PATHS.generalKey, subPathExpr: OWN_KEY_FILE, readOnly: true },
      certificatesMount,
    );
  }
  return {
    name: 'general',
    image: cluster.image,
    imagePullPolicy: 'IfNotPresent',
    args: ['general'],
    env: [
      {
        name: 'ID',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${POD_INDEX_LABEL}']` } },
      },
      { name: 'TRAITOR_FILE', value: KUBERNETES_PATHS.traitorFile },
      { name: 'PEERS', value: kubernetesPeersOf(cluster) },
      { name: 'PORT', value: `${CLUSTER_DEFAULTS.port}` },
      { name: 'ROUND_TIMEOUT_MS', value: `${cluster.roundTimeoutMs}` },
      { name: 'LOG_DIR', value: CLUSTER_DEFAULTS.containerLogDir },
      { name: 'METRICS_PORT', value: `${CLUSTER_DEFAULTS.metricsPort}` },
      ...credentialsEnv(cluster, { name: 'PRIVATE_KEY_FILE', value: KUBERNETES_PATHS.generalKey }),
    ],
    ports: [
      { name: 'grpc', containerPort: CLUSTER_DEFAULTS.port, protocol: 'TCP' },
      // Named for scraping, with the pod's prometheus.io annotations: see docs/observability.md.
      { name: 'metrics', containerPort: CLUSTER_DEFAULTS.metricsPort, protocol: 'TCP' },
    ],
    readinessProbe: healthProbe(5, 5),
    livenessProbe: healthProbe(10, 30),
    resources,
    securityContext: containerSecurity,
    volumeMounts: mounts,
  };
}

export function generalsStatefulSet(cluster: Cluster): IStatefulSet {
  const volumes: IVolume[] = [
    // The logs live as long as the pod: `kubectl exec ... tar` copies them out (docs/scale-out.md).
    { name: 'logs', emptyDir: {} },
    tmpVolume,
    { name: 'traitors', configMap: { name: KUBERNETES_NAMES.traitors, defaultMode: 0o444 } },
  ];
  if (cluster.credentials) {
    volumes.push(
      { name: 'key', secret: { secretName: KUBERNETES_NAMES.generalKeys, defaultMode: 0o440 } },
      certificatesVolume,
    );
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: KUBERNETES_NAMES.statefulSet, labels: labelsOf('general') },
    spec: {
      serviceName: KUBERNETES_NAMES.service,
      replicas: cluster.generals,
      // All at once: a general does not wait for the one before it to be ready.
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: labelsOf('general') },
      template: {
        metadata: { labels: labelsOf('general'), annotations: { ...METRICS_ANNOTATIONS } },
        spec: {
          // The generals never talk to the Kubernetes API: no token to steal.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: CLUSTER_DEFAULTS.stopGraceSeconds,
          securityContext: podSecurity,
          // Spread the generals over the nodes, so that losing a node loses as few as it can.
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: labelsOf('general') },
            },
          ],
          containers: [generalContainer(cluster)],
          volumes,
        },
      },
    },
  };
}

export function clientJob(cluster: Cluster): IJob {
  const mounts: IVolumeMount[] = [tmpMount];
  const volumes: IVolume[] = [tmpVolume];
  if (cluster.credentials) {
    mounts.push({ name: 'key', mountPath: KUBERNETES_PATHS.clientKeyDir, readOnly: true }, certificatesMount);
    volumes.push(
      { name: 'key', secret: { secretName: KUBERNETES_NAMES.clientKey, defaultMode: 0o440 } },
      certificatesVolume,
    );
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: KUBERNETES_NAMES.clientJob, labels: labelsOf('client') },
    spec: {
      // One run: a failed verdict is an answer, not something to retry.
      backoffLimit: 0,
      template: {
        metadata: { labels: labelsOf('client') },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurity,
          containers: [
            {
              name: 'client',
              image: cluster.image,
              imagePullPolicy: 'IfNotPresent',
              args: [
                'client',
                '--order',
                'ATTACK',
                '--t',
                `${exampleT(cluster)}`,
                '--wait',
                `${CLIENT_WAIT_MS}`,
              ],
              env: [
                { name: 'PEERS', value: kubernetesPeersOf(cluster) },
                { name: 'TRAITORS', value: rosterOf(cluster) },
                ...credentialsEnv(cluster, {
                  name: 'CLIENT_KEY_FILE',
                  value: `${KUBERNETES_PATHS.clientKeyDir}/client.pem`,
                }),
              ],
              resources,
              securityContext: containerSecurity,
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  };
}

/** Every object of kubernetes.yaml, in the order `kubectl apply` should create them. */
export function kubernetesObjects(
  cluster: Cluster,
): readonly (IConfigMap | IService | IStatefulSet | IJob)[] {
  return [traitorsConfigMap(cluster), generalsService(), generalsStatefulSet(cluster), clientJob(cluster)];
}

function headerOf(cluster: Cluster): string[] {
  const { generals, traitors } = cluster;
  const traitorText =
    traitors.length === 0 ? 'none' : traitors.map((t) => `${t.id} (${t.strategy})`).join(', ');
  const secrets = `keys/${KUBERNETES_NAMES.secretsFile}`;
  return [
    'Generated by generate-compose.ts: do not edit by hand. Regenerate with:',
    `  ${commandLineOf(cluster, 'kubernetes')}`,
    '',
    `Kubernetes (1.28 or later): ${generals} generals as the pods of the StatefulSet '${KUBERNETES_NAMES.statefulSet}'`,
    `(general-0 is the commander), reached as general-<i>.${KUBERNETES_NAMES.service} through a headless Service,`,
    `each pod reading its own TRAITOR from the ConfigMap '${KUBERNETES_NAMES.traitors}'.`,
    `Traitors: ${traitorText}. Round timeout ${cluster.roundTimeoutMs} ms.`,
    `The Job '${KUBERNETES_NAMES.clientJob}' runs the client once.`,
    'Validated offline against the Kubernetes API schemas; not yet run on a cluster.',
    '',
    ...(cluster.credentials
      ? [
          `Credentials: the Secrets are in ${secrets} (private keys: keep it out of git). Each`,
          'pod mounts only its own private key; every pod gets ca.pem and certs.pem.',
          '',
          `  kubectl apply -f ${secrets} -f kubernetes.yaml`,
        ]
      : [
          'No authentication (--no-auth): AUTH=off everywhere, no credentials. Any process that can',
          'reach a general can speak for any general or for the client.',
          '',
          '  kubectl apply -f kubernetes.yaml',
        ]),
    `  kubectl wait --for=condition=complete --timeout=600s job/${KUBERNETES_NAMES.clientJob}`,
    `  kubectl logs job/${KUBERNETES_NAMES.clientJob}          # the verdict`,
    `  kubectl logs ${KUBERNETES_NAMES.statefulSet}-3                     # what general 3 printed`,
    '  kubectl delete -f kubernetes.yaml',
    ...boundNote(cluster),
  ];
}

/** The manifests for this cluster, as text: every object but the Secrets. */
export function renderKubernetes(cluster: Cluster): string {
  return yamlStream(headerOf(cluster), kubernetesObjects(cluster));
}

/**
 * The credential files the Secrets are made of, as paths inside the keys directory (CREDENTIAL_FILES).
 * None with --no-auth.
 */
export function kubernetesSecretFiles(cluster: Cluster): readonly string[] {
  if (!cluster.credentials) return [];
  return [
    ...generalIds(cluster).map((id) => CREDENTIAL_FILES.generalKey(id)),
    CREDENTIAL_FILES.clientKey,
    CREDENTIAL_FILES.caCertificate,
    CREDENTIAL_FILES.certificateBundle,
  ];
}

/** A credentials file was not given to kubernetesSecrets. */
export class MissingCredentialError extends Error {
  override readonly name = 'MissingCredentialError';
}

const secretOf = (
  name: string,
  component: 'general' | 'client',
  data: { [key: string]: string },
): ISecret => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, labels: labelsOf(component) },
  type: 'Opaque',
  data,
});

/**
 * The three Secrets, from the files' contents (by their path in the keys directory): every general's
 * private key in one Secret (each pod mounts only its own entry), the client's key alone in another,
 * and the public ca.pem and certs.pem.
 */
export function kubernetesSecrets(cluster: Cluster, files: ReadonlyMap<string, string>): readonly ISecret[] {
  if (!cluster.credentials) return [];
  const base64Of = (path: string): string => {
    const text = files.get(path);
    if (text === undefined) throw new MissingCredentialError(`no contents given for ${path}`);
    return Buffer.from(text, 'utf8').toString('base64');
  };
  const generalKeys: { [key: string]: string } = {};
  for (const id of generalIds(cluster))
    generalKeys[generalKeyFileOf(id)] = base64Of(CREDENTIAL_FILES.generalKey(id));
  return [
    secretOf(KUBERNETES_NAMES.generalKeys, 'general', generalKeys),
    secretOf(KUBERNETES_NAMES.clientKey, 'client', { 'client.pem': base64Of(CREDENTIAL_FILES.clientKey) }),
    secretOf(KUBERNETES_NAMES.certificates, 'general', {
      [CERTS_DIR_FILES.caCertificate]: base64Of(CREDENTIAL_FILES.caCertificate),
      [CERTS_DIR_FILES.certificateBundle]: base64Of(CREDENTIAL_FILES.certificateBundle),
    }),
  ];
}

/** The Secrets as a manifest file: private keys, so generate-compose.ts writes it 0600 into ./keys. */
export function renderKubernetesSecrets(cluster: Cluster, files: ReadonlyMap<string, string>): string {
  const header = [
    'Generated by generate-compose.ts from the files in this directory: PRIVATE KEYS. Keep this file',
    'mode 0600, out of git and out of images; regenerate it rather than editing it.',
    `  kubectl apply -f ${KUBERNETES_NAMES.secretsFile}`,
  ];
  return yamlStream(header, kubernetesSecrets(cluster, files));
}
