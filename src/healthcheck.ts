/**
 * The container health probe: asks the standard gRPC health service (grpc.health.v1.Health/Check)
 * of the general in this container, on 127.0.0.1:$PORT (default 50051), with a short deadline.
 * Exit status 0 when it answers SERVING, 1 otherwise (not serving, unreachable, too slow).
 *
 *   node dist/src/healthcheck.js      (the Dockerfile HEALTHCHECK and the compose healthcheck)
 *
 * Env: PORT (default 50051), HEALTHCHECK_SERVICE (default "": the whole server),
 * HEALTHCHECK_TIMEOUT_MS (default 2000). Unless AUTH=off, it speaks mutual TLS as the general
 * itself, with the general's own ID, PRIVATE_KEY_FILE and CERTS_DIR: a general serves TLS only.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type ChannelCredentials,
  type ChannelOptions,
  Client,
  credentials,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync, type MethodDefinition } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';
import { loadCredentials } from './auth/credentials.js';
import { generalHostName, generalIdentity } from './auth/identity.js';

export const HEALTH_DEFAULTS = { port: 50051, service: '', timeoutMs: 2000 } as const;

export const EXIT = { serving: 0, unhealthy: 1 } as const;

export class HealthProbeError extends Error {
  override readonly name = 'HealthProbeError';
}

interface CheckRequest {
  readonly service: string;
}
interface CheckResponse {
  readonly status?: string;
}

function loadCheckMethod(): MethodDefinition<CheckRequest, CheckResponse> {
  const definition = loadSync(protoPath, { keepCase: true, enums: String, defaults: true });
  const service = definition['grpc.health.v1.Health'];
  if (service === undefined || !('Check' in service)) {
    throw new HealthProbeError(`grpc.health.v1.Health/Check not found in ${protoPath}`);
  }
  return service.Check as MethodDefinition<CheckRequest, CheckResponse>;
}

/** Resolves with the serving status ('SERVING', 'NOT_SERVING', ...); rejects when the call fails. */
export function checkHealth(
  address: string,
  service: string,
  timeoutMs: number,
  channel: { credentials: ChannelCredentials; options: ChannelOptions } = {
    credentials: credentials.createInsecure(),
    options: {},
  },
): Promise<string> {
  const method = loadCheckMethod();
  const client = new Client(address, channel.credentials, channel.options);
  return new Promise<string>((resolvePromise, reject) => {
    client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      { service },
      { deadline: Date.now() + timeoutMs },
      (error: ServiceError | null, response?: CheckResponse) => {
        client.close();
        if (error !== null) reject(new HealthProbeError(`${address}: ${error.details || error.message}`));
        else resolvePromise(response?.status ?? 'UNKNOWN');
      },
    );
  });
}

function numberFrom(text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** The general's own credentials, as its env gives them; plaintext under AUTH=off. */
function channelOf(env: NodeJS.ProcessEnv): { credentials: ChannelCredentials; options: ChannelOptions } {
  if (env.AUTH?.trim().toLowerCase() === 'off')
    return { credentials: credentials.createInsecure(), options: {} };
  const id = Number(env.ID);
  if (!Number.isInteger(id) || id < 0) throw new HealthProbeError(`ID "${env.ID ?? ''}" is not a general id`);
  const own = loadCredentials(
    { keyFile: env.PRIVATE_KEY_FILE ?? '', certsDir: env.CERTS_DIR ?? '' },
    generalIdentity(id),
    0,
  );
  return {
    credentials: credentials.createSsl(own.caPem, own.keyPem, own.certPem),
    options: { 'grpc.ssl_target_name_override': generalHostName(id) },
  };
}

export async function main(env: NodeJS.ProcessEnv): Promise<number> {
  const port = numberFrom(env.PORT, HEALTH_DEFAULTS.port);
  const timeoutMs = numberFrom(env.HEALTHCHECK_TIMEOUT_MS, HEALTH_DEFAULTS.timeoutMs);
  const service = env.HEALTHCHECK_SERVICE ?? HEALTH_DEFAULTS.service;
  const address = `127.0.0.1:${port}`;
  try {
    const status = await checkHealth(address, service, timeoutMs, channelOf(env));
    process.stdout.write(`${address} ${status}\n`);
    return status === 'SERVING' ? EXIT.serving : EXIT.unhealthy;
  } catch (error) {
    process.stdout.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.unhealthy;
  }
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(resolve(invokedPath)).href) {
  process.exitCode = await main(process.env);
}
