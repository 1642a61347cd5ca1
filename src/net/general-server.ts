import * as grpc from '@grpc/grpc-js';
import type { HealthImplementation } from 'grpc-health-check';
import type { ControlRefusal, ReceivedControlAuth } from '../auth/control.js';
import { type GeneralKeys, loadGeneralKeys, type ServerAuth, serverAuth } from '../auth/general-keys.js';
import type { GeneralConfig } from '../config/config.js';
import type { Algorithm } from '../core/algorithm.js';
import { KingRun } from '../core/king/king-run.js';
import { valuesPerLieutenant } from '../core/om/counts.js';
import { OmRun } from '../core/om/om-run.js';
import type { Order } from '../core/order.js';
import { COMMANDER } from '../core/paths.js';
import type { Batch, GeneralSpec, ProtocolRun, RejectionCode } from '../core/run/types.js';
import { batchBytes, type ControlStamp, resetLogBytes, runRequestBytes } from '../core/signatures.js';
import { SmRun } from '../core/sm/sm-run.js';
import { formatStrategy } from '../core/strategy.js';
import type { GeneralLog } from '../log/general-log.js';
import { RpcError } from './errors.js';
import type { GeneralHandlers } from './generated/byzantine/v1/General.js';
import type { GetDecisionResponse } from './generated/byzantine/v1/GetDecisionResponse.js';
import type { RunAlgorithmRequest__Output } from './generated/byzantine/v1/RunAlgorithmRequest.js';
import type { SendOrderRequest__Output } from './generated/byzantine/v1/SendOrderRequest.js';
import { addHealth, setServing } from './health.js';
import { MAX_MESSAGE_BYTES, PeerClients } from './peers.js';
import { phaseToWire } from './phase-wire.js';
import { byzantineProto, toAlgorithm, toOrder, toWire, WireOrder, wireAlgorithm } from './proto.js';
import { RunDriver } from './run-driver.js';
import { roundReport, traceResponse, watchRunHandler } from './trace-service.js';

/** Exit status of a general that crashed on purpose (FAULT_CRASH_ROUND). */
export const CRASH_EXIT_STATUS = 70;

/** The general could not bind its address (a port in use, say): a clean message, not a stack. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

/** Runs kept per general; the oldest finished one is dropped to admit a new one. */
export const MAX_RUNS = 16;
const MAX_RUN_ID = 128;
const MAX_VALUES_PER_LIEUTENANT = 1_000_000;

const STATUS_OF: Record<RejectionCode, grpc.status> = {
  'wrong-receiver': grpc.status.INVALID_ARGUMENT,
  'not-a-peer': grpc.status.PERMISSION_DENIED,
  'round-out-of-range': grpc.status.OUT_OF_RANGE,
  'wrong-length': grpc.status.INVALID_ARGUMENT,
  duplicate: grpc.status.ALREADY_EXISTS,
  'round-closed': grpc.status.FAILED_PRECONDITION,
  'bad-signature': grpc.status.UNAUTHENTICATED,
  'malformed-chain': grpc.status.INVALID_ARGUMENT,
};

type Handler<Req, Res> = (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res;

/** Wraps a handler so that every failure leaves as an explicit gRPC status with details. */
function unary<Req, Res>(handler: Handler<Req, Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request, call))
      .then(
        (response) => callback(null, response),
        (error: unknown) => {
          const rpc =
            error instanceof RpcError
              ? error
              : new RpcError(grpc.status.INTERNAL, `internal error: ${String(error)}`, { cause: error });
          callback(rpc.toServiceError());
        },
      );
  };
}

/** The order a RunAlgorithm request carries, if any (only the commander's does). */
function orderOf(wire: unknown): Order | undefined {
  if (wire === WireOrder.ATTACK || wire === 'ATTACK') return 'ATTACK';
  if (wire === WireOrder.RETREAT || wire === 'RETREAT') return 'RETREAT';
  return undefined;
}

/** A SendOrder request as the core's batch, chains included when there are any (SM). */
function batchOf(request: SendOrderRequest__Output): Batch {
  return {
    runId: request.runId,
    round: request.round,
    sender: request.sender,
    receiver: request.receiver,
    values: request.values.map(toOrder),
    ...(request.chains.length === 0
      ? {}
      : { chains: request.chains.map((c) => ({ signers: c.signers, signatures: c.signatures })) }),
  };
}

/**
 * One general: the gRPC service over its runs, its peers and its logs.
 *
 * With AUTH on (the default) every SendOrder must carry its sender's signature over the batch, and
 * RunAlgorithm and ResetLog the client's (see src/auth/control.ts); anything else is refused with
 * UNAUTHENTICATED before the core sees it. GetDecision, GetTrace, WatchRun and health are reads and
 * stay open: they reveal what the logs hold, and change nothing.
 */
export class GeneralServer {
  private readonly runs = new Map<string, RunDriver>();
  private readonly peers: PeerClients;
  private readonly server: grpc.Server;
  private readonly health: HealthImplementation;
  private readonly auth: ServerAuth;

  /** `keys`: loaded by the caller; without them, from config.auth (none under AUTH=off). */
  constructor(
    readonly config: GeneralConfig,
    private readonly log: GeneralLog,
    keys?: GeneralKeys,
  ) {
    this.auth = serverAuth(
      keys ??
        (config.auth.mode === 'on'
          ? loadGeneralKeys(config.auth, config.id, config.peers.length)
          : undefined),
    );
    this.peers = new PeerClients(config.peers);
    this.server = new grpc.Server({
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    });
    this.server.addService(byzantineProto().byzantine.v1.General.service, this.handlers());
    this.health = addHealth(this.server);
  }

  get n(): number {
    return this.config.peers.length;
  }

  /** Binds HOST:PORT (PORT 0 picks a free port) and reports SERVING; resolves to the bound port. */
  listen(): Promise<number> {
    const address = `${this.config.host}:${this.config.port}`;
    return new Promise((resolve, reject) => {
      this.server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => {
        if (error) {
          reject(new ListenError(`cannot listen on ${address}: ${error.message}`, { cause: error }));
          return;
        }
        setServing(this.health, true);
        this.peers.connectAll(this.config.id);
        this.log.notice(`listening on ${this.config.host}:${port}`, {
          n: this.n,
          strategy: formatStrategy(this.config.strategy),
          roundTimeoutMs: this.config.roundTimeoutMs,
          auth: this.auth.mode,
        });
        if (this.auth.mode === 'off') this.log.authOff();
        resolve(port);
      });
    });
  }

  /** Stops taking calls, lets running calls finish for up to `graceMs`, then forces the rest. */
  async shutdown(graceMs = 2000): Promise<void> {
    setServing(this.health, false);
    for (const run of this.runs.values()) run.dispose();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    this.peers.close();
    this.log.notice('stopped');
    await this.log.close();
  }

  private handlers(): GeneralHandlers {
    return {
      RunAlgorithm: unary((request) => {
        this.admit('RunAlgorithm', request.auth, (stamp) => this.runRequestBytes(request, stamp));
        const run = this.join(
          request.runId,
          request.generals,
          request.t,
          toAlgorithm(request.algorithm),
          request.order,
          request.roundTimeoutMs,
        );
        return { id: this.config.id, runId: run.runId, roundTimeoutMs: run.roundTimeoutMs };
      }),
      SendOrder: unary((request) => {
        const batch = batchOf(request);
        this.authenticate(batch, request.signature);
        return { accepted: this.accept(batch) };
      }),
      GetDecision: unary(async (request) => {
        const run = this.runs.get(request.runId);
        if (run === undefined) throw new RpcError(grpc.status.NOT_FOUND, `unknown run "${request.runId}"`);
        await run.decided();
        return this.report(run);
      }),
      ResetLog: unary(async (request) => {
        this.admit('ResetLog', request.auth, (stamp) => resetLogBytes(this.config.id, stamp));
        return { truncated: await this.log.reset() };
      }),
      GetTrace: unary((request) => {
        const run = this.runs.get(request.runId);
        if (run === undefined) throw new RpcError(grpc.status.NOT_FOUND, `unknown run "${request.runId}"`);
        return traceResponse(this.config.id, run);
      }),
      WatchRun: watchRunHandler((runId) => this.runs.get(runId)),
    };
  }

  private runRequestBytes(request: RunAlgorithmRequest__Output, stamp: ControlStamp): Uint8Array {
    return runRequestBytes(
      {
        general: this.config.id,
        runId: request.runId,
        generals: request.generals,
        t: request.t,
        algorithm: toAlgorithm(request.algorithm),
        order: orderOf(request.order),
        roundTimeoutMs: request.roundTimeoutMs,
      },
      stamp,
    );
  }

  /** A control request goes on only when signed by the client, fresh and new; else UNAUTHENTICATED. */
  private admit(
    method: 'RunAlgorithm' | 'ResetLog',
    auth: ReceivedControlAuth | null,
    bytesOf: (stamp: ControlStamp) => Uint8Array,
  ): void {
    if (this.auth.mode === 'off') return;
    const refusal: ControlRefusal | undefined = this.auth.control.check(auth, bytesOf);
    if (refusal === undefined) return;
    this.log.controlRefused(method, refusal.reason, refusal.message);
    throw new RpcError(grpc.status.UNAUTHENTICATED, `refused ${method}: ${refusal.message}`);
  }

  /**
   * A batch reaches the core only with its claimed sender's signature. A forged one is refused,
   * logged, recorded and counted like any refused batch; its values stay missing, so the round
   * waits for the genuine batch until its deadline.
   */
  private authenticate(batch: Batch, signature: Uint8Array): void {
    if (this.auth.mode === 'off') return;
    if (this.auth.keys.peers.verify(batch.sender, batchBytes(batch), signature)) return;
    const message =
      batch.sender >= this.n
        ? `general ${batch.sender} has no public key: PEERS lists generals 0..${this.n - 1}`
        : signature.length === 0
          ? `batch is not signed; general ${batch.sender}'s signature is required`
          : `signature does not verify under general ${batch.sender}'s public key`;
    const run = this.runs.get(batch.runId);
    if (run === undefined)
      this.log.batchRejected(batch.runId, batch.round, batch.sender, 'bad-signature', message);
    else run.refuse(batch, 'bad-signature', message);
    throw new RpcError(STATUS_OF['bad-signature'], message);
  }

  private join(
    runId: string,
    generals: number,
    t: number,
    algorithm: Algorithm,
    order: unknown,
    roundTimeoutMs: number,
  ): RunDriver {
    const { id } = this.config;
    const n = this.n;
    if (runId === '' || runId.length > MAX_RUN_ID) {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `run_id must be 1..${MAX_RUN_ID} characters`);
    }
    if (generals !== n) {
      throw new RpcError(
        grpc.status.FAILED_PRECONDITION,
        `run ${runId} is for ${generals} generals, but general ${id} has ${n} in PEERS`,
      );
    }
    if (t > n - 2)
      throw new RpcError(
        grpc.status.INVALID_ARGUMENT,
        `t=${t} is too deep for ${n} generals (at most ${n - 2})`,
      );
    if (algorithm === 'om' && valuesPerLieutenant(n, t) > MAX_VALUES_PER_LIEUTENANT) {
      // Each held value is a node of the EIG tree in memory: a deep enough t would exhaust it.
      throw new RpcError(
        grpc.status.RESOURCE_EXHAUSTED,
        `t=${t} with ${n} generals means ${valuesPerLieutenant(n, t).toLocaleString('en-US')} values per lieutenant; this general holds at most ${MAX_VALUES_PER_LIEUTENANT.toLocaleString('en-US')}`,
      );
    }
    if (algorithm === 'sm' && this.auth.mode === 'off') {
      throw new RpcError(
        grpc.status.FAILED_PRECONDITION,
        `general ${id} runs with AUTH=off and has no key, so it cannot sign SM chains; give it PRIVATE_KEY_FILE and PUBLIC_KEYS_DIR, or use OM`,
      );
    }
    const hasOrder =
      order === WireOrder.ATTACK || order === WireOrder.RETREAT || order === 'ATTACK' || order === 'RETREAT';
    if (id === COMMANDER && !hasOrder) {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, 'the commander needs an order: ATTACK or RETREAT');
    }
    if (this.runs.has(runId))
      throw new RpcError(grpc.status.ALREADY_EXISTS, `run ${runId} was already started`);
    this.makeRoom();
    const timeout = roundTimeoutMs > 0 ? roundTimeoutMs : this.config.roundTimeoutMs;
    const spec: GeneralSpec = {
      runId,
      id,
      n,
      t,
      strategy: this.config.strategy,
      ...(id === COMMANDER ? { order: toOrder(order) } : {}),
    };
    const driver = new RunDriver(
      this.protocolRun(spec, algorithm),
      algorithm,
      (batch) => this.send(batch, timeout),
      this.log,
      timeout,
      { ...this.config.faults, crash: (round) => this.crash(round) },
    );
    this.runs.set(runId, driver);
    // Channels that went idle or failed reconnect now, before the commander's order arrives.
    this.peers.connectAll(id);
    driver.start();
    return driver;
  }

  /** OM(t), King, or SM(t) signing with this general's key and checking chains with every general's. */
  private protocolRun(spec: GeneralSpec, algorithm: Algorithm): ProtocolRun {
    if (algorithm === 'om') return new OmRun(spec);
    if (algorithm === 'king') return new KingRun(spec);
    if (this.auth.mode === 'off') throw new RangeError('SM needs keys');
    return new SmRun(spec, { signer: this.auth.keys.signer, verifier: this.auth.keys.peers });
  }

  /**
   * The injected crash (FAULT_CRASH_ROUND): stop answering at once, make sure the logs say why, and
   * exit with CRASH_EXIT_STATUS, as a process that died mid-run would.
   */
  private crash(round: number): void {
    setServing(this.health, false);
    this.server.forceShutdown();
    process.stdout.write(`general ${this.config.id}: injected crash as round ${round} starts, exiting\n`);
    void this.log.close().finally(() => process.exit(CRASH_EXIT_STATUS));
  }

  private makeRoom(): void {
    if (this.runs.size < MAX_RUNS) return;
    for (const [runId, run] of this.runs) {
      if (run.finished) {
        this.runs.delete(runId);
        return;
      }
    }
    throw new RpcError(
      grpc.status.RESOURCE_EXHAUSTED,
      `${MAX_RUNS} runs are still in progress; try again later`,
    );
  }

  private accept(batch: Batch): number {
    const run = this.runs.get(batch.runId);
    const refuse = (code: grpc.status, reason: string, detail: string): never => {
      this.log.batchRejected(batch.runId, batch.round, batch.sender, reason, detail);
      throw new RpcError(code, detail);
    };
    if (run === undefined)
      return refuse(grpc.status.NOT_FOUND, 'unknown-run', `unknown run "${batch.runId}"`);
    const largest = run.run.largestBatch;
    if (batch.values.length > Math.max(1, largest)) {
      return refuse(
        grpc.status.RESOURCE_EXHAUSTED,
        'oversized',
        `batch of ${batch.values.length} values is larger than any batch of this run (at most ${largest})`,
      );
    }
    const result = run.receive(batch);
    if (typeof result === 'number') return result;
    throw new RpcError(STATUS_OF[result.code], result.message);
  }

  private async send(batch: Batch, roundTimeoutMs: number): Promise<boolean> {
    const signature = this.auth.mode === 'on' ? this.auth.keys.signer.sign(batchBytes(batch)) : undefined;
    await this.peers.call(
      batch.receiver,
      'SendOrder',
      {
        ...batch,
        values: batch.values.map(toWire),
        ...(signature === undefined ? {} : { signature }),
      },
      roundTimeoutMs + 1000,
    );
    return true;
  }

  private report(run: RunDriver): GetDecisionResponse {
    const general = run.run;
    const tally = general.tally();
    return {
      id: this.config.id,
      runId: run.runId,
      decision: toWire(general.decision ?? 'RETREAT'),
      tally,
      valuesReceived: general.receivedValues,
      // Under SM nothing is owed in advance, so nothing is missing.
      valuesMissing: Math.max(0, general.expectedValues - general.receivedValues),
      valuesInvalid: general instanceof SmRun ? general.invalidValues : 0,
      algorithm: wireAlgorithm(run.algorithm),
      batchesRejected: run.batchesRejected,
      rpcsSent: run.rpcsAccepted,
      valuesSent: general.sentValues,
      lies: general.lies,
      elapsedMs: run.elapsedMs,
      rounds: run.record.rounds.map(roundReport),
      phases: general.phases().map(phaseToWire),
    };
  }
}
