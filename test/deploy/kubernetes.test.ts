/**
 * The Kubernetes target, validated offline (no cluster can be had here): every generated object
 * against the API schemas (kubernetes-models), with unknown fields refused too; a set of the API
 * server's own rules that the schemas do not carry; and, pod by pod, what each general's container
 * would see through its mounts: its own TRAITOR and its own private key, nothing else.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Cluster } from '../../src/deploy/cluster.js';
import {
  clientJob,
  generalsStatefulSet,
  kubernetesObjects,
  kubernetesSecretFiles,
  kubernetesSecrets,
  renderKubernetes,
  renderKubernetesSecrets,
} from '../../src/deploy/kubernetes.js';
import { schemaProblems, unknownFields } from './kubernetes-schema.js';
import { clusterOf, readYamlStream, runGenerator } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: manifests are walked as plain JSON, as the API server reads them
type Json = any;

/** Stand-ins for the credential files: distinct text per file, so a mix-up shows. */
function fakeFiles(cluster: Cluster): Map<string, string> {
  return new Map(
    kubernetesSecretFiles(cluster).map((path) => [
      path,
      `-----BEGIN TEST-----\n${path}\n-----END TEST-----\n`,
    ]),
  );
}

/** Everything the generator makes for a cluster, as `kubectl apply` would read it back from the files. */
function manifestsOf(argv: readonly string[]): Json[] {
  const cluster = clusterOf(argv);
  return [
    ...readYamlStream(renderKubernetesSecrets(cluster, fakeFiles(cluster))),
    ...readYamlStream(renderKubernetes(cluster)),
  ];
}

const CLUSTERS: readonly (readonly string[])[] = [
  ['10', '3,4,7'],
  ['10', '3,4:flip,7:random:9'],
  ['4', 'none', '--no-auth'],
  [
    '31',
    '1:flip,2:silent,3:random:42',
    '--round-timeout',
    '250',
    '--image',
    'registry:5000/byzantine-generals:1',
  ],
  ['100', '0,50,99'],
];

const find = (objects: Json[], kind: string, name?: string): Json => {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  assert.ok(found !== undefined, `a ${kind}${name === undefined ? '' : ` named ${name}`}`);
  return found;
};

describe('the schema check itself (kubernetes-models plus unknown fields) catches broken objects', () => {
  const cluster = clusterOf(['10', '3,4,7']);
  const broken = (change: (statefulSet: Json) => void): Json => {
    const statefulSet: Json = structuredClone(generalsStatefulSet(cluster));
    change(statefulSet);
    return statefulSet;
  };
  const container = (statefulSet: Json): Json => statefulSet.spec.template.spec.containers[0];

  it('passes the generated StatefulSet as it is', () => {
    assert.deepEqual(schemaProblems(generalsStatefulSet(cluster)), []);
    assert.deepEqual(unknownFields(generalsStatefulSet(cluster)), []);
  });

  it('refuses a container without its required name', () => {
    const problems = schemaProblems(broken((s) => delete container(s).name));
    assert.match(problems.join(), /containers\/0 must have required property name/);
  });

  it('refuses a port given as a string and a fractional replica count', () => {
    const problems = schemaProblems(
      broken((s) => {
        container(s).ports[0].containerPort = '50051';
        s.spec.replicas = 2.5;
      }),
    ).join();
    assert.match(problems, /containerPort must be integer/);
    assert.match(problems, /replicas must be integer/);
  });

  it('refuses a value outside an enum', () => {
    assert.match(
      schemaProblems(broken((s) => (s.spec.podManagementPolicy = 'AllAtOnce'))).join(),
      /allowed values/,
    );
  });

  it('refuses a misspelled field, which the schemas alone let through', () => {
    const typo = broken((s) => {
      const mount = container(s).volumeMounts.find((m: Json) => m.name === 'key');
      mount.subPathExp = mount.subPathExpr;
      delete mount.subPathExpr;
    });
    assert.deepEqual(schemaProblems(typo), [], 'kubernetes-models does not see it');
    assert.deepEqual(unknownFields(typo), ['.spec.template.spec.containers[0].volumeMounts[3].subPathExp']);
  });

  it('lets map fields (labels, data, resources) hold any key', () => {
    const labelled = broken((s) => (s.metadata.labels['example.com/any-key'] = 'x'));
    assert.deepEqual(unknownFields(labelled), []);
  });
});

describe('kubernetes.yaml and the Secrets validate against the Kubernetes API schemas', () => {
  for (const argv of CLUSTERS) {
    it(`for ${argv.join(' ')}: every object, with no unknown field`, () => {
      const objects = manifestsOf(argv);
      const kinds = objects.map((o) => o.kind);
      const credentials = !argv.includes('--no-auth');
      assert.deepEqual(kinds, [
        ...(credentials ? ['Secret', 'Secret', 'Secret'] : []),
        'ConfigMap',
        'Service',
        'StatefulSet',
        'Job',
      ]);
      for (const object of objects) {
        assert.deepEqual(schemaProblems(object), [], `${object.kind} ${object.metadata.name}`);
        assert.deepEqual(unknownFields(object), [], `${object.kind} ${object.metadata.name}`);
      }
    });
  }
});

/** Rules the API server enforces that the OpenAPI schemas do not express, written out from its docs. */
describe('kubernetes.yaml keeps the API server rules the schemas leave out', () => {
  const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
  const DNS_LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
  const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
  const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
  const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
  const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

  for (const argv of CLUSTERS) {
    it(`for ${argv.join(' ')}`, () => {
      const objects = manifestsOf(argv);
      for (const object of objects) {
        const name: string = object.metadata.name;
        assert.ok(name.length <= 253 && DNS_SUBDOMAIN.test(name), `${object.kind} name ${name}`);
        for (const [key, value] of Object.entries(object.metadata.labels ?? {})) {
          assert.ok(String(value).length <= 63, `label ${key}`);
        }
      }
      const service = find(objects, 'Service');
      assert.ok(service.metadata.name.length <= 63 && DNS_LABEL_1035.test(service.metadata.name));
      const statefulSet = find(objects, 'StatefulSet');
      const job = find(objects, 'Job');
      const podLabels = statefulSet.spec.template.metadata.labels;
      for (const [key, value] of Object.entries(statefulSet.spec.selector.matchLabels)) {
        assert.equal(podLabels[key], value, `the selector matches the pods: ${key}`);
      }
      for (const [key, value] of Object.entries(service.spec.selector)) {
        assert.equal(podLabels[key], value, `the Service selects the generals: ${key}`);
      }
      assert.equal(
        statefulSet.spec.serviceName,
        service.metadata.name,
        'the StatefulSet names its governing Service',
      );
      assert.equal(service.spec.clusterIP, 'None', 'headless');
      // A StatefulSet's name longer than 52 characters breaks its pods' controller-revision-hash label.
      assert.ok(statefulSet.metadata.name.length <= 52);
      assert.ok(
        ['Never', 'OnFailure'].includes(job.spec.template.spec.restartPolicy),
        'a Job never restarts Always',
      );

      for (const kind of ['ConfigMap', 'Secret']) {
        for (const object of objects.filter((o) => o.kind === kind)) {
          for (const [key, value] of Object.entries(object.data ?? {})) {
            assert.ok(CONFIG_KEY.test(key) && key.length <= 253, `${kind} key ${key}`);
            if (kind === 'Secret') assert.ok(BASE64.test(String(value)), `${key} is base64`);
          }
        }
      }

      for (const pod of [statefulSet.spec.template.spec, job.spec.template.spec]) {
        const volumes = new Map<string, Json>(pod.volumes.map((v: Json) => [v.name, v]));
        assert.equal(volumes.size, pod.volumes.length, 'volume names are unique');
        const used = new Set<string>();
        for (const container of pod.containers) {
          const envNames = new Set<string>(container.env.map((e: Json) => e.name));
          for (const name of envNames) assert.ok(ENV_NAME.test(name), `env ${name}`);
          const paths = container.volumeMounts.map((m: Json) => m.mountPath);
          assert.equal(new Set(paths).size, paths.length, 'mount paths are unique');
          for (const mount of container.volumeMounts) {
            assert.ok(volumes.has(mount.name), `mount ${mount.name} names a volume`);
            used.add(mount.name);
            assert.ok(
              !(mount.subPath !== undefined && mount.subPathExpr !== undefined),
              'subPath or subPathExpr',
            );
            for (const [, variable] of String(mount.subPathExpr ?? '').matchAll(/\$\(([^)]+)\)/g)) {
              assert.ok(
                envNames.has(variable ?? ''),
                `subPathExpr uses $(${variable}), which the container defines`,
              );
            }
          }
          for (const port of container.ports ?? []) {
            assert.ok(port.name.length <= 15 && PORT_NAME.test(port.name), `port name ${port.name}`);
          }
        }
        for (const name of volumes.keys()) assert.ok(used.has(name), `volume ${name} is mounted`);
        // Every ConfigMap and Secret a pod mounts is one the generator made.
        for (const volume of volumes.values()) {
          if (volume.configMap !== undefined) find(objects, 'ConfigMap', volume.configMap.name);
          if (volume.secret !== undefined) find(objects, 'Secret', volume.secret.secretName);
        }
      }
    });
  }
});

/** What each pod would see: the kubelet's expansion of the template, done here by hand. */
describe('each general pod sees only its own TRAITOR and its own private key', () => {
  const argv = ['10', '3,4:flip,7:random:9'];
  const cluster = clusterOf(argv);
  const files = fakeFiles(cluster);
  const objects: Json[] = [...kubernetesSecrets(cluster, files), ...kubernetesObjects(cluster)];
  const statefulSet = find(objects, 'StatefulSet');
  const pod = statefulSet.spec.template.spec;
  const container = pod.containers[0];
  const volumeOf = (name: string): Json => pod.volumes.find((v: Json) => v.name === name);
  const envOf = (name: string): Json => container.env.find((e: Json) => e.name === name);
  /** The traitors as the user typed them, written out here. */
  const expectedTraitor: Record<number, string> = { 3: 'equivocate', 4: 'flip', 7: 'random:9' };

  it('serves metrics on a port named for scraping, with the conventional annotations on the pod', () => {
    assert.equal(envOf('METRICS_PORT').value, '9464');
    assert.deepEqual(
      container.ports.find((p: Json) => p.name === 'metrics'),
      { name: 'metrics', containerPort: 9464, protocol: 'TCP' },
    );
    assert.deepEqual(statefulSet.spec.template.metadata.annotations, {
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9464',
      'prometheus.io/path': '/metrics',
    });
  });

  it('takes ID from the ordinal label the StatefulSet controller sets', () => {
    assert.deepEqual(envOf('ID').valueFrom, {
      fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" },
    });
    assert.equal(envOf('TRAITOR'), undefined, 'no TRAITOR in the shared template');
  });

  it('mounts one entry of the ConfigMap and one of the Secret, never a whole volume of keys', () => {
    const mountsOf = (volume: string) => container.volumeMounts.filter((m: Json) => m.name === volume);
    assert.equal(mountsOf('key').length, 1);
    assert.equal(mountsOf('traitors').length, 1);
    assert.ok(mountsOf('key')[0].subPathExpr.includes('$(ID)'), 'the key mount is one entry, by ID');
    assert.ok(mountsOf('traitors')[0].subPathExpr.includes('$(ID)'));
    const clientPod = clientJob(cluster).spec?.template.spec;
    const clientSecrets = (clientPod?.volumes ?? [])
      .map((v) => v.secret?.secretName)
      .filter((s) => s !== undefined);
    assert.ok(
      !clientSecrets.includes(volumeOf('key').secret.secretName),
      "the client never mounts the generals' keys",
    );
    const clientKeySecret = find(
      objects,
      'Secret',
      clientSecrets.find((s) => s !== volumeOf('certs').secret.secretName),
    );
    assert.deepEqual(
      Object.keys(clientKeySecret.data),
      ['client.pem'],
      'the client mounts a Secret of its key alone',
    );
  });

  for (let ordinal = 0; ordinal < 10; ordinal++) {
    it(`pod general-${ordinal}: ID ${ordinal}, TRAITOR ${expectedTraitor[ordinal] ?? 'false'}, general ${ordinal}'s key`, () => {
      const env: Record<string, string> = { ID: `${ordinal}` };
      const expand = (expression: string) =>
        expression.replace(/\$\(([^)]+)\)/g, (_, name: string) => env[name] ?? '');
      const see = (volume: string): { path: string; text: string } => {
        const mount = container.volumeMounts.find((m: Json) => m.name === volume);
        const entry = expand(mount.subPathExpr);
        const source = volumeOf(volume);
        const data =
          source.configMap !== undefined
            ? find(objects, 'ConfigMap', source.configMap.name).data
            : find(objects, 'Secret', source.secret.secretName).data;
        assert.ok(entry in data, `${volume} has the entry ${entry}`);
        const raw = String(data[entry]);
        return {
          path: mount.mountPath,
          text: source.secret === undefined ? raw : Buffer.from(raw, 'base64').toString(),
        };
      };
      const traitor = see('traitors');
      assert.equal(traitor.path, envOf('TRAITOR_FILE').value);
      assert.equal(traitor.text, expectedTraitor[ordinal] ?? 'false');
      const key = see('key');
      assert.equal(key.path, envOf('PRIVATE_KEY_FILE').value);
      assert.equal(key.text, files.get(`private/general_${ordinal}.pem`));
      // And its peers are the stable names of the StatefulSet's pods behind the headless Service.
      const peers = envOf('PEERS').value.split(',');
      assert.equal(
        peers[ordinal],
        `${statefulSet.metadata.name}-${ordinal}.${statefulSet.spec.serviceName}:50051`,
      );
    });
  }

  it("the client's roster names the same traitors as the ConfigMap", () => {
    const data = find(objects, 'ConfigMap').data;
    const roster = find(objects, 'Job').spec.template.spec.containers[0].env.find(
      (e: Json) => e.name === 'TRAITORS',
    ).value;
    const fromRoster = Object.fromEntries(
      String(roster)
        .split(',')
        .map((entry) => [`general_${entry.split(':')[0]}`, entry.slice(entry.indexOf(':') + 1)]),
    );
    for (let id = 0; id < 10; id++)
      assert.equal(data[`general_${id}`], fromRoster[`general_${id}`] ?? 'false');
  });
});

describe('the generals and the client in Kubernetes', () => {
  const objects: Json[] = manifestsOf(['10', '3,4,7']);
  const statefulSet = find(objects, 'StatefulSet');
  const job = find(objects, 'Job');
  const general = statefulSet.spec.template.spec.containers[0];
  const client = job.spec.template.spec.containers[0];

  it("probes readiness and liveness with the gRPC health service, through the image's own probe", () => {
    for (const probe of [general.readinessProbe, general.livenessProbe]) {
      assert.deepEqual(probe.exec.command, ['node', '/app/dist/src/healthcheck.js']);
      assert.ok(probe.periodSeconds > 0 && probe.timeoutSeconds > 0);
    }
  });

  it('requests and limits cpu and memory for every container', () => {
    for (const container of [general, client]) {
      assert.deepEqual(Object.keys(container.resources.requests).sort(), ['cpu', 'memory']);
      assert.deepEqual(Object.keys(container.resources.limits).sort(), ['cpu', 'memory']);
    }
  });

  it('runs every pod under the restricted Pod Security Standard: non-root, read-only, nothing to escalate', () => {
    for (const pod of [statefulSet.spec.template.spec, job.spec.template.spec]) {
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.ok(pod.securityContext.runAsUser > 0);
      assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
      assert.equal(pod.automountServiceAccountToken, false, 'no API token in a general or the client');
      for (const volume of pod.volumes) {
        const types = Object.keys(volume).filter((key) => key !== 'name');
        assert.ok(
          types.every((type) => ['configMap', 'secret', 'emptyDir'].includes(type)),
          `volume ${volume.name}`,
        );
      }
      for (const container of pod.containers) {
        assert.deepEqual(container.securityContext, {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
  });

  it('runs the client once as a Job: the seed run, its verdict in its logs and its status', () => {
    assert.equal(job.spec.backoffLimit, 0);
    assert.equal(job.spec.template.spec.restartPolicy, 'Never');
    assert.deepEqual(client.args, ['client', '--order', 'ATTACK', '--t', '3', '--wait', '300000']);
  });

  it('is a pure function of the arguments and names the command that regenerates it', () => {
    const text = renderKubernetes(clusterOf(['10', '3,4,7']));
    assert.equal(renderKubernetes(clusterOf(['10', '7,4,3'])), text);
    assert.match(text, /^# {3}npx tsx generate-compose.ts 10 3,4,7 --kubernetes$/m);
    assert.match(text, /validated offline against the Kubernetes API schemas; not yet run on a cluster/i);
    assert.doesNotMatch(text, /BEGIN|PRIVATE KEY/);
  });
});

describe('generate-compose --kubernetes', () => {
  let work = '';
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'kubernetes-cli-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /**
   * Until the certificate authority is the generator's credentials step, it makes private keys only:
   * the public certificates are placed here, as that step will place them.
   */
  it('writes kubernetes.yaml and, 0600 in ./keys, the Secrets made from the credential files', () => {
    const cwd = mkdtempSync(join(work, 'good-'));
    const result = runGenerator(['4', '1', '--kubernetes'], cwd);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(join(cwd, 'kubernetes.yaml'), 'utf8'), renderKubernetes(clusterOf(['4', '1'])));
    const secretsPath = join(cwd, 'keys', 'kubernetes-secrets.yaml');
    assert.equal(statSync(secretsPath).mode & 0o777, 0o600);
    const secrets: Json[] = readYamlStream(readFileSync(secretsPath, 'utf8'));
    const decoded = (name: string, key: string) =>
      Buffer.from(String(find(secrets, 'Secret', name).data[key]), 'base64').toString();
    const onDisk = (path: string) => readFileSync(join(cwd, 'keys', path), 'utf8');
    for (let id = 0; id < 4; id++) {
      assert.equal(
        decoded('byzantine-general-keys', `general_${id}.pem`),
        onDisk(`private/general_${id}.pem`),
      );
    }
    assert.equal(decoded('byzantine-client-key', 'client.pem'), onDisk('private/client.pem'));
    assert.equal(decoded('byzantine-certs', 'ca.pem'), onDisk('public/ca.pem'));
    assert.equal(decoded('byzantine-certs', 'certs.pem'), onDisk('public/certs.pem'));
    assert.match(result.stdout, /kubectl apply -f keys\/kubernetes-secrets.yaml -f kubernetes.yaml/);
    assert.ok(!existsSync(join(cwd, '.env')), 'no .env: that is for compose');
  });

  it('with --no-auth writes kubernetes.yaml alone', () => {
    const cwd = mkdtempSync(join(work, 'open-'));
    const result = runGenerator(['4', '1', '--kubernetes', '--no-auth'], cwd);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readdirSync(cwd), ['kubernetes.yaml']);
    assert.match(result.stdout, /kubectl apply -f kubernetes.yaml/);
  });
});
