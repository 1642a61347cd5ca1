/**
 * A general killed mid-run. Seven general processes on loopback; the run starts as the client runs
 * it (runOnCluster), and lieutenant 3 is SIGKILLed the moment it has joined the run, before the
 * commander issues the order (the client joins every lieutenant first, then the commander). So the
 * kill always lands at the same point of the run: general 3 has joined but will never send or answer.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LocalCluster } from '../../src/local/cluster.js';
import { runOnCluster, waitForGenerals } from '../../src/net/cluster-client.js';
import { PeerClients, type UnaryMethod } from '../../src/net/peers.js';
import { renderHuman } from '../../src/run/render.js';
import { exitCodeOf, type RunResult, summarize } from '../../src/run/result.js';
import { isAlive, tempDir } from '../support/process.js';

const N = 7;
const T = 2;
const VICTIM = 3;
/**
 * Rounds 1 and 2 wait this long for the dead general. Loaded machines (other work shares this
 * 2-core box) can hold a live general back by a second or more, and a loyal batch that misses the
 * deadline would count as missing too and blur the exact counts below, so the deadline is generous.
 */
const ROUND_TIMEOUT_MS = 3000;

/** PeerClients that SIGKILLs one general as soon as its RunAlgorithm (join) has been answered. */
class KillAfterJoin extends PeerClients {
  killedPid: number | undefined;

  constructor(
    private readonly cluster: LocalCluster,
    private readonly victim: number,
  ) {
    super(cluster.peers, cluster.security);
  }

  override async call<Req, Res>(
    id: number,
    method: UnaryMethod,
    request: Req,
    deadlineMs: number,
  ): Promise<Res> {
    const response = await super.call<Req, Res>(id, method, request, deadlineMs);
    if (method === 'RunAlgorithm' && id === this.victim) {
      this.killedPid = this.cluster.pid(id);
      this.cluster.signal(id, 'SIGKILL');
      await this.cluster.exited(id);
    }
    return response;
  }
}

const logs = tempDir('killed');
let cluster: LocalCluster | undefined;
let peers: KillAfterJoin | undefined;
let result: RunResult;

before(async () => {
  cluster = await LocalCluster.start({
    n: N,
    roster: new Map(),
    roundTimeoutMs: ROUND_TIMEOUT_MS,
    logDir: logs.path,
  });
  peers = new KillAfterJoin(cluster, VICTIM);
  await waitForGenerals(peers, 60_000);
  // The live generals decide after two deadlines and answer once their sends to the dead one have
  // failed (a deadline of ROUND_TIMEOUT_MS + 1 s each), about 3.3 deadlines in all; the client's
  // wait for the dead general's decision is bounded a little above that, not by the default 14 s.
  const facts = await runOnCluster(peers, {
    n: N,
    t: T,
    order: 'ATTACK',
    roster: new Map(),
    timeoutMs: 4 * ROUND_TIMEOUT_MS,
  });
  result = summarize(facts);
});

after(async () => {
  peers?.close();
  await cluster?.stop();
  logs.remove();
});

test('the victim was killed after joining, before the order', () => {
  assert.ok(peers?.killedPid !== undefined, 'the victim joined and was killed');
  assert.equal(isAlive(peers.killedPid), false);
  assert.match(cluster?.casualties().get(VICTIM) ?? '', /signal SIGKILL/);
});

test('the run finishes and names the killed general unreachable: exit status 3', () => {
  assert.deepEqual(result.unreachable, [VICTIM]);
  const victim = result.generals[VICTIM];
  assert.equal(victim?.reachable, false);
  assert.equal(victim?.decision, null);
  assert.match(victim?.error ?? '', /GetDecision/);
  assert.match(renderHuman(result), new RegExp(`general ${VICTIM} could not be reached`));
  assert.equal(exitCodeOf(result), 3);
});

test("the other loyal lieutenants still agree on the commander's order", () => {
  for (const g of result.generals) {
    if (g.id === 0 || g.id === VICTIM) continue;
    assert.equal(g.reachable, true, `general ${g.id} reachable`);
    assert.equal(g.decision, 'ATTACK', `general ${g.id} decision`);
  }
  // A dead general is judged as faulty: one faulty general of seven, t=2, so IC1 and IC2 hold.
  assert.equal(result.ic1, true);
  assert.equal(result.ic2, true);
  assert.equal(result.consensus, 'ATTACK');
});

test('what the dead general never sent counts as missing: 5 values per surviving lieutenant', () => {
  // Like a silent lieutenant: 1 value in round 1 and n-3=4 in round 2 to each other lieutenant.
  for (const g of result.generals) {
    if (g.id === 0 || g.id === VICTIM) continue;
    assert.equal(g.valuesReceived, 26 - 5, `general ${g.id} values received`);
    assert.equal(g.valuesMissing, 5, `general ${g.id} values missing`);
  }
  assert.equal(result.messages.delivered, 5 * 21);
});
