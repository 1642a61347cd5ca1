import { spawn } from 'node:child_process';
import { ensureClusterCredentials } from '/work/main/src/auth/cluster-ca.ts';
import { loadCredentials } from '/work/main/src/auth/credentials.ts';
import { clientCredentialPaths, generalCredentialEnv } from '/work/main/src/auth/layout.ts';
import { freePorts } from '/work/main/src/local/cluster.ts';
import { runOnCluster, waitForGenerals } from '/work/main/src/net/cluster-client.ts';
import { PeerClients } from '/work/main/src/net/peers.ts';

const n = Number(process.argv[2] ?? 10),
  t = Number(process.argv[3] ?? 3),
  runs = Number(process.argv[4] ?? 40);
const extra = (process.argv[5] ?? '').split(',').filter(Boolean);
const dir = '/tmp/prof-keys';
await ensureClusterCredentials(dir, n, { namesOf: () => ['127.0.0.1'] });
const ports = await freePorts(n);
const kids = ports.map((port, id) =>
  spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof-gen', 'dist/src/cli.js', 'general'], {
    stdio: 'ignore',
    env: {
      ...process.env,
      ID: String(id),
      PEERS: ports.map((p) => `127.0.0.1:${p}`).join(','),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_DIR: '/tmp/prof-logs',
      ROUND_TIMEOUT_MS: '120000',
      ...generalCredentialEnv(dir, id),
      ...Object.fromEntries(extra.map((e) => e.split('='))),
    },
  }),
);
const peers = new PeerClients(
  ports.map((port) => ({ host: '127.0.0.1', port })),
  { mode: 'tls', credentials: loadCredentials(clientCredentialPaths(dir), { kind: 'client' }, n) },
);
await waitForGenerals(peers, 60000);
await runOnCluster(peers, { n, t, order: 'ATTACK', roster: new Map() });
const times: number[] = [];
for (let i = 0; i < runs; i++)
  times.push((await runOnCluster(peers, { n, t, order: 'ATTACK', roster: new Map() })).elapsedMs);
times.sort((a, b) => a - b);
console.log('median', times[Math.floor(runs / 2)]?.toFixed(1));
peers.close();
await Promise.all(
  kids.map(
    (k) =>
      new Promise((r) => {
        k.once('exit', r);
        k.kill('SIGTERM');
      }),
  ),
);
