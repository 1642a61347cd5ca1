import * as grpc from '@grpc/grpc-js';
import type { HealthImplementation } from 'grpc-health-check';
import { describeIdentity, type Identity } from '../auth/identity.js';
import type { GeneralConfig } from '../config/config.js';
import type { Algorithm } from '../core/algorithm.js';
import { KingRun } from '../core/king/king-run.js';
import { OmRun } from '../core/om/om-run.js';
import type { Batch, GeneralSpec, ProtocolRun, RejectionCode } from '../core/run/types.js';
import { SmRun } from '../core/sm/sm-run.js';
import { formatStrategy } from '../core/strategy.js';
import type { GeneralLog } from '../log/general-log.js';
import type { LiveCounts } from '../metrics/general-metrics.js';
import { ListenError, RpcError } from './errors.js';
import { ExchangeService, type Intake } from './exchange-service.js';
import type { Batch__Output } from './generated/byzantine/v1/Batch.js';
import type { GeneralHandlers } from './generated/byzantine/v1/General.js';
import type { GetDecisionResponse } from './generated/byzantine/v1/GetDecisionResponse.js';
import { addHealth, setServing } from './health.js';
import { unpackValues } from './packed-values.js';
import { PeerLinks } from './peer-links.js';
import { MAX_MESSAGE_BYTES } from './peers.js';
import { phaseToWire } from './phase-wire.js';
import { byzantineProto, packageDefinition, toWire, wireAlgorithm } from './proto.js';
import { addReflection } from './reflection.js';
import { RunDriver } from './run-driver.js';
import { checkRunId, type JoinRequest, joinRequest, RUN_ID_PATTERN, RUN_ID_RULE } from './run-request.js';
import { roundReport, traceResponse, watchRunHandler } from './trace-service.js';
import { callerIdentity, serverCredentials, type TransportSecurity } from './transport-security.js';

/** Exit status of a general that crashed on purpose (FAULT_CRASH_ROUND). */
export const CRASH_EXIT_STATUS = 70;

/** Runs kept per general; the oldest finished one is dropped to admit a new one. */
export const MAX_RUNS = 16;

const STATUS_OF: Record<RejectionCode, grpc.status> = {
  'wrong-receiver': grpc.status.INVALID_ARGUMENT,
  'not-a-peer': grpc.status.PERMISSION_DENIED,
  'round-out-of-range': grpc.status.OUT_OF_RANGE,
  'wrong-length': grpc.status.INVALID_ARGUMENT,
  duplicate: grpc.status.ALREADY_EXISTS,
  'round-closed': grpc.status.FAILED_PRECONDITION,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  'malformed-chain': grpc.status.INVALID_ARGUMENT,
};

type Handler<Req, Res> = (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res;

/**
 * Wraps a handler so that every failure leaves as an explicit gRPC status with details, told first
 * to `refused` (if given) with the status's name when the error names no reason of its own.
 */
function unary<Req, Res>(
  handler: Handler<Req, Res>,
  refused?: (reason: string, details: string) => void,
): grpc.handleUnaryCall<Req, Res> {
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
          refused?.(rpc.reason ?? statusName(rpc.code), rpc.details);
          callback(rpc.toServiceError());
        },
      );
  };
}

/** `NOT_FOUND` as `not-found`: a status as the logs and metrics name a reason. */
const statusName = (code: grpc.status): string =>
  (grpc.status[code] ?? `status-${code}`).toLowerCase().replaceAll('_', '-');

/**
 * One general: the gRPC service over its runs, its peers and its logs.
 *
 * With TLS (the default) every caller holds a certificate from the cluster CA, and who it is comes
 * from that certificate, once per connection: a batch must come from the general it names as its
 * sender, and only the client's certificate may start runs or reset logs. Reads (GetDecision,
 * GetTrace, WatchRun, health, reflection) need any certificate of the cluster. Under AUTH=off
 * nothing is checked, and the general says so at every start.
 */
export class GeneralServer {
  private readonly runs = new Map<string, RunDriver>();
  private readonly links: PeerLinks;
  private readonly server: grpc.Server;
  private readonly health: HealthImplementation;
  private readonly exchange: ExchangeService;

  constructor(
    readonly config: GeneralConfig,
    private readonly log: GeneralLog,
    readonly security: TransportSecurity,
  ) {
    this.links = new PeerLinks(
      config.peers,
      security,
      config.id,
      {
        broke: (message, peer, graceful) => log.peerTrouble(message, peer, graceful),
        back: (message, peer) => log.peerBack(message, peer),
      },
      config.peerCalls,
    );
    this.server = new grpc.Server({
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    });
    this.exchange = new ExchangeService(
      (batch, caller) => this.intake(batch, caller),
      security.mode === 'tls',
    );
    this.server.addService(byzantineProto().byzantine.v1.General.service, this.handlers());
    this.health = addHealth(this.server);
    addReflection(this.server, packageDefinition());
  }

  get n(): number {
    return this.config.peers.length;
  }

  /** What the metrics read at each scrape: streams open each way, runs not finished. */
  liveCounts(): LiveCounts {
    return {
      streams: () => ({ out: this.links.streamsOpen(), in: this.exchange.streamsOpen }),
      runsInProgress: () => {
        let running = 0;
        for (const run of this.runs.values()) if (!run.finished) running++;
        return running;
      },
    };
  }

  /** Binds HOST:PORT (PORT 0 picks a free port) and reports SERVING; resolves to the bound port. */
  listen(): Promise<number> {
    const address = `${this.config.host}:${this.config.port}`;
    return new Promise((resolve, reject) => {
      this.server.bindAsync(address, serverCredentials(this.security), (error, port) => {
        if (error) {
          reject(new ListenError(`cannot listen on ${address}: ${error.message}`, { cause: error }));
          return;
        }
        setServing(this.health, true);
        // Every stream opens now, while the cluster starts, rather than when the first run joins: a
        // hundred generals open ten thousand TLS connections between them, which would otherwise
        // land on the first run and push its order past the round deadlines of those who joined first.
        this.links.openAll();
        this.log.notice(`listening on ${this.config.host}:${port}`, {
          n: this.n,
          strategy: formatStrategy(this.config.strategy),
          roundTimeoutMs: this.config.roundTimeoutMs,
          auth: this.security.mode === 'tls' ? 'on' : 'off',
        });
        if (this.security.mode === 'off') this.log.authOff();
        resolve(port);
      });
    });
  }

  /** Stops taking calls, lets running calls finish for up to `graceMs`, then forces the rest. */
  async shutdown(graceMs = 2000): Promise<void> {
    setServing(this.health, false);
    for (const run of this.runs.values()) run.dispose();
    this.exchange.endAll();
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
    this.links.close();
    this.log.notice('stopped');
    await this.log.close();
  }

  /** Tells the logs that a `method` request was refused, and why. */
  private refusal(method: string): (reason: string, details: string) => void {
    return (reason, details) => this.log.requestRefused(method, reason, details);
  }

  private handlers(): GeneralHandlers {
    return {
      RunAlgorithm: unary((request, call) => {
        this.requireClient('RunAlgorithm', call);
        const run = this.join(joinRequest(request, this.config.id, this.n));
        return { id: this.config.id, runId: run.runId, roundTimeoutMs: run.roundTimeoutMs };
      }, this.refusal('RunAlgorithm')),
      SendOrder: unary((request, call) => {
        const caller = this.security.mode === 'tls' ? callerIdentity(call) : undefined;
        const intake = this.intake(request, caller);
        if (intake.code !== grpc.status.OK) throw new RpcError(intake.code, intake.details);
        return { accepted: intake.accepted };
      }),
      Exchange: this.exchange.handler,
      GetDecision: unary(async (request) => {
        const run = this.run(request.runId);
        await run.decided();
        // Whoever has the decision may read the logs next: they hold the whole run by then.
        await this.log.flush();
        return this.report(run);
      }, this.refusal('GetDecision')),
      ResetLog: unary(async (_request, call) => {
        this.requireClient('ResetLog', call);
        return { truncated: await this.log.reset() };
      }, this.refusal('ResetLog')),
      GetTrace: unary(
        (request) => traceResponse(this.config.id, this.run(request.runId)),
        this.refusal('GetTrace'),
      ),
      WatchRun: watchRunHandler((runId) => {
        checkRunId(runId);
        return this.runs.get(runId);
      }),
    };
  }

  private run(runId: string): RunDriver {
    checkRunId(runId);
    const run = this.runs.get(runId);
    if (run === undefined) throw new RpcError(grpc.status.NOT_FOUND, `unknown run "${runId}"`);
    return run;
  }

  /** RunAlgorithm and ResetLog change what a general does: only the client's certificate may call them. */
  private requireClient(
    method: 'RunAlgorithm' | 'ResetLog',
    call: Parameters<typeof callerIdentity>[0],
  ): void {
    if (this.security.mode === 'off') return;
    const caller = callerIdentity(call);
    if (caller?.kind === 'client') return;
    const message = `${method} is for the client's certificate; ${describeIdentity(caller)} may not call it`;
    throw new RpcError(grpc.status.PERMISSION_DENIED, message, { reason: 'not-the-client' });
  }

  /** One batch, from a stream or a unary call: accepted, or the status that says why not. */
  private intake(wire: Batch__Output, caller: Identity | undefined): Intake {
    try {
      return { code: grpc.status.OK, details: '', accepted: this.accept(wire, caller) };
    } catch (error) {
      if (error instanceof RpcError) return { code: error.code, details: error.details, accepted: 0 };
      return { code: grpc.status.INTERNAL, details: `internal error: ${String(error)}`, accepted: 0 };
    }
  }

  private accept(wire: Batch__Output, caller: Identity | undefined): number {
    const { runId, round, sender } = wire;
    const refuse = (code: grpc.status, reason: string, detail: string): never => {
      this.log.batchRejected(runId, round, sender, reason, detail);
      throw new RpcError(code, detail);
    };
    if (!RUN_ID_PATTERN.test(runId)) {
      return refuse(
        grpc.status.INVALID_ARGUMENT,
        'bad-run-id',
        `run_id is not a run id: expected ${RUN_ID_RULE}`,
      );
    }
    const run = this.runs.get(runId);
    const values = unpackValues(wire.values, wire.count);
    const batch: Batch = {
      runId,
      round,
      sender,
      receiver: wire.receiver,
      values: values ?? [],
      ...(wire.chains.length === 0
        ? {}
        : { chains: wire.chains.map((c) => ({ signers: c.signers, signatures: c.signatures })) }),
    };
    if (this.security.mode === 'tls' && (caller?.kind !== 'general' || caller.id !== sender)) {
      // The sender a batch names must be the general whose certificate sent it (assumption A2).
      const message = `${describeIdentity(caller)} cannot send as general ${sender}: a batch's sender must be the caller's certificate`;
      if (run === undefined) return refuse(grpc.status.UNAUTHENTICATED, 'unauthenticated', message);
      run.refuse(batch, 'unauthenticated', message);
      throw new RpcError(STATUS_OF.unauthenticated, message);
    }
    if (run === undefined) return refuse(grpc.status.NOT_FOUND, 'unknown-run', `unknown run "${runId}"`);
    const largest = run.run.largestBatch;
    if (wire.count > Math.max(1, largest)) {
      return refuse(
        grpc.status.RESOURCE_EXHAUSTED,
        'oversized',
        `batch of ${wire.count} values is larger than any batch of this run (at most ${largest})`,
      );
    }
    if (values === undefined) {
      return refuse(
        grpc.status.INVALID_ARGUMENT,
        'malformed-values',
        `values holds ${wire.values.length} bytes, which cannot pack exactly ${wire.count} values (${(wire.count + 7) >> 3} bytes, unused bits zero)`,
      );
    }
    const result = run.receive(batch);
    if (typeof result === 'number') return result;
    throw new RpcError(STATUS_OF[result.code], result.message);
  }

  private join(request: JoinRequest): RunDriver {
    const { id } = this.config;
    const { runId, t, algorithm } = request;
    if (algorithm === 'sm' && this.security.mode === 'off') {
      throw new RpcError(
        grpc.status.FAILED_PRECONDITION,
        `general ${id} runs with AUTH=off and has no key, so it cannot sign SM chains; give it PRIVATE_KEY_FILE and CERTS_DIR, or use OM`,
      );
    }
    if (this.runs.has(runId))
      throw new RpcError(grpc.status.ALREADY_EXISTS, `run ${runId} was already started`);
    this.makeRoom();
    const timeout = request.roundTimeoutMs > 0 ? request.roundTimeoutMs : this.config.roundTimeoutMs;
    const spec: GeneralSpec = {
      runId,
      id,
      n: this.n,
      t,
      strategy: this.config.strategy,
      ...(request.order === undefined ? {} : { order: request.order }),
    };
    const driver = new RunDriver(
      this.protocolRun(spec, algorithm),
      algorithm,
      (batch) => this.links.send(batch, timeout + 1000),
      this.log,
      timeout,
      { ...this.config.faults, crash: (round) => this.crash(round) },
    );
    this.runs.set(runId, driver);
    // Streams that broke since the last run reopen now, before the commander's order arrives, and
    // those that reach a peer's old address (its task moved) are given up for its new one.
    this.links.openAll();
    void this.links.followMoves();
    driver.start();
    return driver;
  }

  /** OM(t), King, or SM(t) signing with this general's key and checking chains with every general's. */
  private protocolRun(spec: GeneralSpec, algorithm: Algorithm): ProtocolRun {
    if (algorithm === 'om') return new OmRun(spec);
    if (algorithm === 'king') return new KingRun(spec);
    if (this.security.mode === 'off') throw new RangeError('SM needs keys');
    const { signer, generals } = this.security.credentials;
    return new SmRun(spec, { signer, verifier: generals });
  }

  /**
   * The injected crash (FAULT_CRASH_ROUND): stop answering at once, make sure the logs say why, and
   * exit with CRASH_EXIT_STATUS, as a process that died mid-run would.
   */
  private crash(round: number): void {
    setServing(this.health, false);
    this.server.forceShutdown();
    this.log.fatal(`injected crash as round ${round} starts, exiting`);
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
