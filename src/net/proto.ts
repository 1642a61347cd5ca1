import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import type { Algorithm } from '../core/algorithm.js';
import type { Order } from '../core/order.js';
import type { Batch } from '../core/run/types.js';
import type { Batch as WireBatch } from './generated/byzantine/v1/Batch.js';
import type { ProtoGrpcType } from './generated/byzantine.js';
import { packValues } from './packed-values.js';

/** The proto file, found upward from this module so it works from src/ (tsx) and dist/src/ (tsc). */
export function protoPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'proto', 'byzantine.proto');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('proto/byzantine.proto not found above the installed code');
    dir = parent;
  }
}

/** The options the generated types assume (longs as strings, defaults filled in, enums as numbers). */
const LOAD_OPTIONS: protoLoader.Options = { longs: String, defaults: true, arrays: true, oneofs: true };

let definition: protoLoader.PackageDefinition | undefined;
let loaded: ProtoGrpcType | undefined;

/**
 * Every service a general serves, loaded once: byzantine.v1 and the standard health service, so
 * that server reflection can describe both.
 */
export function packageDefinition(): protoLoader.PackageDefinition {
  definition ??= protoLoader.loadSync([protoPath(), healthProtoPath], LOAD_OPTIONS);
  return definition;
}

/** The `byzantine.v1` package. */
export function byzantineProto(): ProtoGrpcType {
  loaded ??= grpc.loadPackageDefinition(packageDefinition()) as unknown as ProtoGrpcType;
  return loaded;
}

/** Wire enum <-> core order. */
export const WireOrder = { ORDER_UNSPECIFIED: 0, ATTACK: 1, RETREAT: 2 } as const;

/** Lenient, for values a general itself recorded: anything but ATTACK reads as RETREAT. */
export const toOrder = (wire: unknown): Order =>
  wire === WireOrder.ATTACK || wire === 'ATTACK' ? 'ATTACK' : 'RETREAT';
export const toWire = (order: Order) => (order === 'ATTACK' ? WireOrder.ATTACK : WireOrder.RETREAT);

/** Strict, for what a caller sends: null when unspecified, undefined when not a known value at all. */
export function orderFromWire(wire: unknown): Order | null | undefined {
  if (wire === WireOrder.ORDER_UNSPECIFIED || wire === 'ORDER_UNSPECIFIED') return null;
  if (wire === WireOrder.ATTACK || wire === 'ATTACK') return 'ATTACK';
  if (wire === WireOrder.RETREAT || wire === 'RETREAT') return 'RETREAT';
  return undefined;
}

/** Wire enum <-> algorithm. */
export const WireAlgorithm = { ALGORITHM_UNSPECIFIED: 0, OM: 1, SM: 2, KING: 3 } as const;

/** Unspecified reads as OM, the default; undefined for a value this general does not know. */
export function algorithmFromWire(wire: unknown): Algorithm | undefined {
  if (wire === WireAlgorithm.ALGORITHM_UNSPECIFIED || wire === WireAlgorithm.OM) return 'om';
  if (wire === WireAlgorithm.SM) return 'sm';
  if (wire === WireAlgorithm.KING) return 'king';
  return undefined;
}

/** Lenient, for what a general reported about its own run. */
export const toAlgorithm = (wire: unknown): Algorithm => algorithmFromWire(wire) ?? 'om';

export const wireAlgorithm = (algorithm: Algorithm) =>
  algorithm === 'sm' ? WireAlgorithm.SM : algorithm === 'king' ? WireAlgorithm.KING : WireAlgorithm.OM;

/** The core's batch as it travels: values packed as bits, chains as they are. */
export function toWireBatch(batch: Batch): WireBatch {
  return {
    runId: batch.runId,
    round: batch.round,
    sender: batch.sender,
    receiver: batch.receiver,
    count: batch.values.length,
    values: packValues(batch.values),
    ...(batch.chains === undefined
      ? {}
      : { chains: batch.chains.map((c) => ({ signers: [...c.signers], signatures: [...c.signatures] })) }),
  };
}
