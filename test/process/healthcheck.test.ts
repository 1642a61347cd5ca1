/**
 * The container health probe (src/healthcheck.ts, the Dockerfile's HEALTHCHECK) against a real
 * health service: plaintext under AUTH=off, and mutual TLS as the general itself otherwise, since
 * a general serves TLS only.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';
import { serverCredentials } from '../../src/net/transport-security.js';
import { asGeneral, keyEnv, testKeys } from '../support/keys.js';
import { ROOT } from '../support/process.js';

const probe = (env: Record<string, string>) =>
  // Asynchronous (not spawnSync): the gRPC server answering the probe lives in this process.
  new Promise<{ status: number | null; stdout: string }>((resolveProbe) => {
    const child = execFile(
      process.execPath,
      ['dist/src/healthcheck.js'],
      { env: { ...process.env, ...env }, cwd: ROOT },
      (error, stdout) => resolveProbe({ status: error === null ? 0 : child.exitCode, stdout }),
    );
  });

function serve(
  health: HealthImplementation,
  credentials: ServerCredentials,
): Promise<{ server: Server; port: number }> {
  const server = new Server();
  health.addToServer(server);
  return new Promise((resolvePort, reject) => {
    server.bindAsync('127.0.0.1:0', credentials, (error, port) =>
      error === null ? resolvePort({ server, port }) : reject(error),
    );
  });
}

describe('the probe under AUTH=off (plaintext)', () => {
  const health = new HealthImplementation({ '': 'SERVING' });
  let server: Server | undefined;
  let port = 0;

  before(async () => {
    ({ server, port } = await serve(health, ServerCredentials.createInsecure()));
  });
  after(() => server?.forceShutdown());

  const statuses: readonly (readonly [ServingStatus, number])[] = [
    ['SERVING', 0],
    ['NOT_SERVING', 1],
  ];
  for (const [status, exit] of statuses) {
    it(`exits ${exit} when the health service says ${status}`, async () => {
      health.setStatus('', status);
      const result = await probe({ AUTH: 'off', PORT: `${port}` });
      assert.equal(result.status, exit, result.stdout);
      assert.match(result.stdout, new RegExp(status));
    });
  }

  it('exits 1 when nothing answers on the port', async () => {
    const result = await probe({ AUTH: 'off', PORT: '1', HEALTHCHECK_TIMEOUT_MS: '1000' });
    assert.equal(result.status, 1, result.stdout);
  });
});

describe('the probe of a general that serves TLS', () => {
  const health = new HealthImplementation({ '': 'SERVING' });
  let keys: { path: string; remove: () => void };
  let server: Server | undefined;
  let port = 0;

  before(async () => {
    keys = await testKeys(4);
    ({ server, port } = await serve(health, serverCredentials(asGeneral(keys.path, 2, 4))));
  });
  after(() => {
    server?.forceShutdown();
    keys?.remove();
  });

  it("exits 0 with the general's own credentials (ID, PRIVATE_KEY_FILE, CERTS_DIR)", async () => {
    const result = await probe({ ID: '2', PORT: `${port}`, ...keyEnv(keys.path, 2) });
    assert.equal(result.status, 0, result.stdout);
    assert.match(result.stdout, /SERVING/);
  });

  it('exits 1 in plaintext: a general answers only TLS', async () => {
    const result = await probe({ AUTH: 'off', PORT: `${port}`, HEALTHCHECK_TIMEOUT_MS: '1000' });
    assert.equal(result.status, 1, result.stdout);
  });

  it('exits 1, saying why, when its key file cannot be read', async () => {
    const result = await probe({
      ID: '2',
      PORT: `${port}`,
      ...keyEnv(keys.path, 2),
      PRIVATE_KEY_FILE: '/nowhere.pem',
    });
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stdout, /cannot read private key \/nowhere\.pem: ENOENT/);
  });
});
