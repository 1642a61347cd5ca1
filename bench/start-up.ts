import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { LocalCluster } from '../src/local/cluster.js';
import { waitForGenerals } from '../src/net/cluster-client.js';
import { quantile } from './measure.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = 3;

export interface StartUp {
  /** From spawning 10 compiled generals (credentials made) to every one answering SERVING. */
  readonly healthyMs: number;
  /** `npm start` as typed: build, 10 generals, the seed example, the verdict, every process stopped. */
  readonly npmStartMs: number;
  readonly samples: number;
}

async function healthyOnce(): Promise<number> {
  const logDir = mkdtempSync(join(tmpdir(), 'bench-start-'));
  const started = performance.now();
  const cluster = await LocalCluster.start({
    n: 10,
    roster: new Map(),
    roundTimeoutMs: 1000,
    logDir,
    compiled: true,
  });
  const peers = cluster.clients();
  try {
    await waitForGenerals(peers, 60_000);
    return performance.now() - started;
  } finally {
    peers.close();
    await cluster.stop();
    rmSync(logDir, { recursive: true, force: true });
  }
}

function npmStartOnce(): Promise<number> {
  const logDir = mkdtempSync(join(tmpdir(), 'bench-npm-start-'));
  const started = performance.now();
  return new Promise<number>((done, fail) => {
    const child = spawn('npm', ['start', '--silent', '--', '--log-dir', logDir], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    child.once('error', fail);
    child.once('exit', (code) => {
      rmSync(logDir, { recursive: true, force: true });
      if (code === 0) done(performance.now() - started);
      else fail(new Error(`npm start exited ${code}`));
    });
  });
}

export async function measureStartUp(log: (line: string) => void): Promise<StartUp> {
  const healthy: number[] = [];
  const npmStart: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    healthy.push(await healthyOnce());
    log(`start-up: 10 generals healthy in ${healthy.at(-1)?.toFixed(0)} ms`);
    npmStart.push(await npmStartOnce());
    log(`start-up: npm start to verdict in ${npmStart.at(-1)?.toFixed(0)} ms`);
  }
  return { healthyMs: quantile(healthy, 0.5), npmStartMs: quantile(npmStart, 0.5), samples: SAMPLES };
}
