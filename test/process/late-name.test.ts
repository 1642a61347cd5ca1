/**
 * A peer whose name resolves only after the caller's channel first asked for it, as a Swarm service's
 * name does once its task runs: a waitForReady call must get through once the name resolves, within
 * its deadline. A resolver of this test's own (a URI scheme registered with grpc-js) stands in for
 * DNS, so that the name's appearance is under the test's control.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { experimental, Metadata, Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { FAST_RECONNECT, type HealthClient, healthClient } from '../../src/net/health.js';
import { keepResolving } from '../../src/net/name-resolution.js';

const SCHEME = 'late-name';
/** Names that resolve, to the loopback port of the test's server; every other one fails. */
const published = new Map<string, number>();
/** How many times each name was looked up. */
const lookups = new Map<string, number>();

class LateNameResolver implements experimental.Resolver {
  private readonly name: string;

  constructor(
    target: { path: string },
    private readonly listener: experimental.ResolverListener,
  ) {
    this.name = target.path;
  }

  static getDefaultAuthority(target: { path: string }): string {
    return target.path;
  }

  updateResolution(): void {
    // Never synchronously, as grpc-js requires.
    setImmediate(() => {
      lookups.set(this.name, (lookups.get(this.name) ?? 0) + 1);
      const port = published.get(this.name);
      if (port === undefined) {
        this.listener(
          experimental.statusOrFromError({ code: 14, details: `${this.name} does not resolve yet` }),
          {},
          null,
          '',
        );
      } else {
        this.listener(
          experimental.statusOrFromValue([{ addresses: [{ host: '127.0.0.1', port }] }]),
          {},
          null,
          '',
        );
      }
    });
  }

  destroy(): void {}
}

/**
 * Polls (bounded) until `name` has failed a lookup and then gone `quietMs` without another: grpc-js
 * retries a failed name once on its own, after its reconnect backoff (100 ms here).
 */
async function lookupsSettled(name: string, quietMs: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  let seen = -1;
  let since = Date.now();
  for (;;) {
    const now = lookups.get(name) ?? 0;
    if (now !== seen) {
      seen = now;
      since = Date.now();
    } else if (now > 0 && Date.now() - since >= quietMs) {
      return;
    }
    assert.ok(Date.now() < deadline, `${name}: lookups did not settle (${now})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Polls (bounded) until `name` has been looked up at least once and failed. */
async function firstLookupFailed(name: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((lookups.get(name) ?? 0) === 0) {
    assert.ok(Date.now() < deadline, `${name} was never looked up`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function check(client: HealthClient, deadlineMs: number): Promise<string> {
  return new Promise((resolveCheck) => {
    client.check(
      { service: '' },
      new Metadata({ waitForReady: true }),
      { deadline: Date.now() + deadlineMs },
      (error, response) => resolveCheck(error ? `error: ${error.details}` : (response?.status ?? '')),
    );
  });
}

describe('a peer whose name resolves late', () => {
  let server: Server | undefined;
  let port = 0;
  const clients: HealthClient[] = [];

  before(async () => {
    experimental.registerResolver(SCHEME, LateNameResolver);
    server = new Server();
    new HealthImplementation({ '': 'SERVING' }).addToServer(server);
    port = await new Promise<number>((resolvePort, reject) =>
      server?.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
        error === null ? resolvePort(bound) : reject(error),
      ),
    );
  });
  after(() => {
    for (const client of clients) client.close();
    server?.forceShutdown();
  });

  const lateClient = (name: string, resolving: boolean): HealthClient => {
    const client = healthClient(`${SCHEME}:${name}`, undefined, FAST_RECONNECT);
    if (resolving) keepResolving(client.getChannel());
    clients.push(client);
    return client;
  };

  it('grpc-js alone never asks again: the call waits out its deadline (why keepResolving exists)', async () => {
    const client = lateClient('general-1', false);
    const answer = check(client, 4000);
    await lookupsSettled('general-1', 1000);
    published.set('general-1', port);
    const lookedUp = lookups.get('general-1');
    assert.match(await answer, /^error: /);
    assert.equal(lookups.get('general-1'), lookedUp, 'never looked up again once the name resolved');
  });

  it('with keepResolving the call gets through once the name resolves', async () => {
    const client = lateClient('general-2', true);
    const answer = check(client, 10_000);
    await firstLookupFailed('general-2');
    published.set('general-2', port);
    assert.equal(await answer, 'SERVING');
    assert.ok((lookups.get('general-2') ?? 0) >= 2, `looked up again: ${lookups.get('general-2')}`);
  });

  it('stops asking once the channel is closed', async () => {
    const client = lateClient('general-3', true);
    void check(client, 1000);
    await firstLookupFailed('general-3');
    client.close();
    const before = lookups.get('general-3') ?? 0;
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(lookups.get('general-3'), before, 'no lookup after close');
  });
});
