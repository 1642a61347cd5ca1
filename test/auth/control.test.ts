import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CONTROL_WINDOW_MS,
  ControlGate,
  ControlSigner,
  type WireControlAuth,
} from '../../src/auth/control.js';
import { ed25519Signer } from '../../src/auth/ed25519.js';
import { clientVerifier } from '../../src/auth/general-keys.js';
import { newKeyPair } from '../../src/auth/keys.js';
import { type ControlStamp, type RunRequestContent, runRequestBytes } from '../../src/core/signatures.js';

const client = newKeyPair();
const stranger = newKeyPair();
const T0 = 1_800_000_000_000;

const request = (general = 1): RunRequestContent => ({
  general,
  runId: 'run-1',
  generals: 4,
  t: 1,
  algorithm: 'om',
  order: undefined,
  roundTimeoutMs: 0,
});

/** What general `general` verifies: the request as it received it, with the stamp it came with. */
const bytesFor = (content: RunRequestContent) => (stamp: ControlStamp) => runRequestBytes(content, stamp);

/** Wire auth as a general receives it: proto-loader gives the timestamp as a string, bytes as Buffers. */
const received = (auth: WireControlAuth) => ({
  timestampMs: auth.timestampMs,
  nonce: Buffer.from(auth.nonce),
  signature: Buffer.from(auth.signature),
});

function setup(start = T0) {
  const clock = { now: start };
  let counter = 0;
  const signer = new ControlSigner(
    ed25519Signer(client.privateKey),
    () => clock.now,
    () => {
      counter++;
      return new Uint8Array(16).fill(counter);
    },
  );
  const gate = new ControlGate({ client: clientVerifier(client.publicKey), now: () => clock.now });
  return { clock, signer, gate };
}

describe('ControlGate: signed control requests', () => {
  test('a request signed by the client, now, with a fresh nonce is admitted', () => {
    const { signer, gate } = setup();
    const auth = signer.runAlgorithm(request());
    assert.equal(auth.timestampMs, String(T0));
    assert.equal(auth.nonce.length, 16);
    assert.equal(gate.check(received(auth), bytesFor(request())), undefined);
  });

  test('no auth at all, or empty auth: missing-auth', () => {
    const { gate } = setup();
    assert.equal(gate.check(null, bytesFor(request()))?.reason, 'missing-auth');
    assert.equal(gate.check(undefined, bytesFor(request()))?.reason, 'missing-auth');
    const empty = { timestampMs: '0', nonce: Buffer.alloc(0), signature: Buffer.alloc(0) };
    const refusal = gate.check(empty, bytesFor(request()));
    assert.equal(refusal?.reason, 'missing-auth');
    assert.match(refusal?.message ?? '', /not signed/);
  });

  test('a short nonce or an unreadable timestamp: malformed-auth', () => {
    const { signer, gate } = setup();
    const auth = received(signer.runAlgorithm(request()));
    assert.equal(
      gate.check({ ...auth, nonce: auth.nonce.subarray(0, 8) }, bytesFor(request()))?.reason,
      'malformed-auth',
    );
    assert.equal(gate.check({ ...auth, timestampMs: 'soon' }, bytesFor(request()))?.reason, 'malformed-auth');
  });

  test('signed by another key: bad-signature, naming the client public key', () => {
    const { clock, gate } = setup();
    const forger = new ControlSigner(ed25519Signer(stranger.privateKey), () => clock.now);
    const refusal = gate.check(received(forger.runAlgorithm(request())), bytesFor(request()));
    assert.equal(refusal?.reason, 'bad-signature');
    assert.equal(refusal?.message, 'signature does not verify under the client public key');
  });

  test('a request made for general 1 does not verify at general 2, nor with any field changed', () => {
    const { signer, gate } = setup();
    const auth = received(signer.runAlgorithm(request(1)));
    assert.equal(gate.check(auth, bytesFor(request(2)))?.reason, 'bad-signature');
    assert.equal(gate.check(auth, bytesFor({ ...request(1), t: 0 }))?.reason, 'bad-signature');
    assert.equal(gate.check(auth, bytesFor({ ...request(1), order: 'ATTACK' }))?.reason, 'bad-signature');
    // The stamp is signed too: a new timestamp on an old signature does not verify.
    assert.equal(
      gate.check({ ...auth, timestampMs: String(T0 + 1) }, bytesFor(request(1)))?.reason,
      'bad-signature',
    );
  });

  test('the same request twice: the second is replayed', () => {
    const { signer, gate } = setup();
    const auth = received(signer.runAlgorithm(request()));
    assert.equal(gate.check(auth, bytesFor(request())), undefined);
    const refusal = gate.check(auth, bytesFor(request()));
    assert.equal(refusal?.reason, 'replayed');
    assert.match(refusal?.message ?? '', /nonce was already used/);
  });

  test('a refused forgery does not burn the nonce it carries', () => {
    const { signer, gate } = setup();
    const auth = received(signer.runAlgorithm(request()));
    assert.equal(
      gate.check({ ...auth, signature: Buffer.alloc(64) }, bytesFor(request()))?.reason,
      'bad-signature',
    );
    assert.equal(gate.check(auth, bytesFor(request())), undefined);
  });

  test(`timestamps more than ${CONTROL_WINDOW_MS / 1000} s off either way are stale; at the edge they pass`, () => {
    const { clock, signer, gate } = setup();
    const old = received(signer.runAlgorithm(request()));
    clock.now = T0 + CONTROL_WINDOW_MS + 1;
    const stale = gate.check(old, bytesFor(request()));
    assert.equal(stale?.reason, 'stale');
    assert.match(
      stale?.message ?? '',
      /121 s behind this general's clock; requests are accepted within 120 s/,
    );
    clock.now = T0 - CONTROL_WINDOW_MS - 1000;
    assert.match(gate.check(old, bytesFor(request()))?.message ?? '', /121 s ahead of/);
    clock.now = T0 + CONTROL_WINDOW_MS;
    assert.equal(gate.check(old, bytesFor(request())), undefined);
  });

  test('nonces are forgotten once their timestamp has left the window: the cache stays bounded', () => {
    const { clock, signer, gate } = setup();
    for (let i = 0; i < 5; i++) {
      assert.equal(gate.check(received(signer.runAlgorithm(request())), bytesFor(request())), undefined);
    }
    assert.equal(gate.remembered, 5);
    const first = received(signer.runAlgorithm(request()));
    assert.equal(gate.check(first, bytesFor(request())), undefined);
    clock.now = T0 + CONTROL_WINDOW_MS + 1;
    assert.equal(gate.check(received(signer.runAlgorithm(request())), bytesFor(request())), undefined);
    assert.equal(gate.remembered, 1, 'only the newest nonce is still inside the window');
    // A replay of a forgotten nonce is refused all the same: its timestamp is stale.
    assert.equal(gate.check(first, bytesFor(request()))?.reason, 'stale');
  });

  test('past the nonce limit within one window, requests are refused rather than forgotten early', () => {
    const clock = { now: T0 };
    const signer = new ControlSigner(ed25519Signer(client.privateKey), () => clock.now);
    const gate = new ControlGate({
      client: clientVerifier(client.publicKey),
      now: () => clock.now,
      maxNonces: 2,
    });
    assert.equal(gate.check(received(signer.runAlgorithm(request())), bytesFor(request())), undefined);
    assert.equal(gate.check(received(signer.runAlgorithm(request())), bytesFor(request())), undefined);
    assert.equal(
      gate.check(received(signer.runAlgorithm(request())), bytesFor(request()))?.reason,
      'too-many-requests',
    );
  });
});
