import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';

/** The service name generals report under, besides the overall "". */
export const GENERAL_SERVICE = 'byzantine.v1.General';

export function addHealth(server: grpc.Server): HealthImplementation {
  const health = new HealthImplementation({ '': 'NOT_SERVING', [GENERAL_SERVICE]: 'NOT_SERVING' });
  health.addToServer(server);
  return health;
}

export function setServing(health: HealthImplementation, serving: boolean): void {
  const status = serving ? 'SERVING' : 'NOT_SERVING';
  health.setStatus('', status);
  health.setStatus(GENERAL_SERVICE, status);
}

interface HealthCheckResponse {
  status: string;
}
export type HealthClient = grpc.Client & {
  check(
    request: { service: string },
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: HealthCheckResponse) => void,
  ): grpc.ClientUnaryCall;
};
type HealthClientConstructor = new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ChannelOptions,
) => HealthClient;

/**
 * Generals start at about the same time as their callers: retry a refused connection every 100 ms
 * (at most 1 s apart) instead of grpc's default backoff, which grows from 1 s to 2 minutes.
 */
export const FAST_RECONNECT: grpc.ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
  // No service config comes over DNS here, and a DNS server that never answers TXT queries (as on
  // an internal Docker network) would otherwise hold a one-shot client for ~25 s after it is done.
  'grpc.service_config_disable_resolution': 1,
  // A peer that moves (a Swarm task rescheduled off a lost node) comes back under its name at a new
  // address: look the name up again a second after the last lookup, not grpc's default 30 s.
  'grpc.dns_min_time_between_resolutions_ms': 1000,
};

let HealthClientClass: HealthClientConstructor | undefined;

function healthClientClass(): HealthClientConstructor {
  if (HealthClientClass === undefined) {
    const definition = protoLoader.loadSync(healthProtoPath, { enums: String, defaults: true });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      grpc: { health: { v1: { Health: HealthClientConstructor } } };
    };
    HealthClientClass = loaded.grpc.health.v1.Health;
  }
  return HealthClientClass;
}

/** Metadata that makes a call wait for the channel to connect (until its deadline) instead of failing fast. */
export function waitForReadyMetadata(): grpc.Metadata {
  return new grpc.Metadata({ waitForReady: true });
}

/** A health client on a channel of its own; plaintext unless given the cluster's credentials. */
export function healthClient(
  address: string,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  options: grpc.ChannelOptions = FAST_RECONNECT,
): HealthClient {
  const Client = healthClientClass();
  return new Client(address, credentials, options);
}

/**
 * Asks `client` for the general's health once, waiting for the connection up to the deadline.
 * Resolves to the status name, or the error that prevented an answer.
 */
export function checkHealth(client: HealthClient, deadlineMs: number): Promise<string> {
  return new Promise((resolve) => {
    client.check(
      { service: GENERAL_SERVICE },
      waitForReadyMetadata(),
      { deadline: Date.now() + deadlineMs },
      (error, response) => {
        resolve(error ? `error: ${error.details || error.message}` : (response?.status ?? 'UNKNOWN'));
      },
    );
  });
}
