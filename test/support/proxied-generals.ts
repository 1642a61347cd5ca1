/**
 * Generals that reach each other only through loopback TCP proxies a test controls, and a run on
 * them with a hook that fires once the commander has its order: the moment to break the network
 * mid-run. The client reaches the generals directly; only the generals' own streams go through
 * the proxies.
 */
import type { HostPort } from '../../src/config/config.js';
import { runOnCluster, waitForGenerals } from '../../src/net/cluster-client.js';
import { PeerClients, type UnaryMethod } from '../../src/net/peers.js';
import { type RunResult, summarize } from '../../src/run/result.js';
import { asClient, keyEnv, testKeys } from './keys.js';
import { type GeneralProcess, startGeneral, stopEverything, tempDir } from './process.js';
import { type TcpProxy, tcpProxy } from './tcp-proxy.js';

export interface ProxiedGenerals {
  readonly generals: readonly GeneralProcess[];
  readonly proxies: readonly TcpProxy[];
  readonly logDir: string;
  /** Runs OM(t) for ATTACK; `midRun` is called once general 0 has accepted RunAlgorithm. */
  run(t: number, midRun?: () => void): Promise<RunResult>;
  /** Stops the generals (their logs are complete after it) and leaves the proxies open. */
  stop(): Promise<void>;
  /** Stops everything and removes the keys and logs. */
  close(): Promise<void>;
}

export async function startProxiedGenerals(
  name: string,
  n: number,
  envOf: (id: number) => Record<string, string>,
): Promise<ProxiedGenerals> {
  const logs = tempDir(name);
  const keys = await testKeys(n);
  const ports: number[] = [];
  const proxies: TcpProxy[] = [];
  const generals: GeneralProcess[] = [];
  for (let id = 0; id < n; id++) proxies.push(await tcpProxy(() => ports[id] ?? 0));
  const peers = proxies.map((p) => `127.0.0.1:${p.port}`).join(',');
  for (let id = 0; id < n; id++) {
    const general = await startGeneral({
      ID: String(id),
      PEERS: peers,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_DIR: logs.path,
      ...keyEnv(keys.path, id),
      ...envOf(id),
    });
    generals.push(general);
    ports[id] = general.port;
  }
  const direct: HostPort[] = ports.map((port) => ({ host: '127.0.0.1', port }));
  const stop = () => stopEverything(generals.map((g) => g.marker));
  return {
    generals,
    proxies,
    logDir: logs.path,
    async run(t, midRun) {
      class HookAfterOrder extends PeerClients {
        override async call<Req, Res>(id: number, method: UnaryMethod, request: Req, deadlineMs: number) {
          const reply = await super.call<Req, Res>(id, method, request, deadlineMs);
          if (method === 'RunAlgorithm' && id === 0) midRun?.();
          return reply;
        }
      }
      const client = new HookAfterOrder(direct, asClient(keys.path, n));
      try {
        await waitForGenerals(client, 60_000);
        return summarize(await runOnCluster(client, { n, t, order: 'ATTACK', roster: new Map() }));
      } finally {
        client.close();
      }
    },
    stop,
    async close() {
      await stop();
      for (const proxy of proxies) await proxy.close();
      keys.remove();
      logs.remove();
    },
  };
}
