import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { Algorithm } from '../core/algorithm.js';
import type { Order } from '../core/order.js';
import type { ProtoGrpcType } from './generated/byzantine.js';

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

let loaded: ProtoGrpcType | undefined;

/** The `byzantine.v1` package, loaded once with the options the generated types assume. */
export function byzantineProto(): ProtoGrpcType {
  if (loaded === undefined) {
    const definition = protoLoader.loadSync(protoPath(), {
      longs: String,
      defaults: true,
      arrays: true,
      oneofs: true,
    });
    loaded = grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType;
  }
  return loaded;
}

/** Wire enum <-> core order. Anything but ATTACK (missing, 0, unknown) reads as RETREAT. */
export const WireOrder = { ORDER_UNSPECIFIED: 0, ATTACK: 1, RETREAT: 2 } as const;

export const toOrder = (wire: unknown): Order =>
  wire === WireOrder.ATTACK || wire === 'ATTACK' ? 'ATTACK' : 'RETREAT';
export const toWire = (order: Order) => (order === 'ATTACK' ? WireOrder.ATTACK : WireOrder.RETREAT);

/** Wire enum <-> algorithm. Unspecified (0) reads as OM, the default. */
export const WireAlgorithm = { ALGORITHM_UNSPECIFIED: 0, OM: 1, SM: 2, KING: 3 } as const;

export const toAlgorithm = (wire: unknown): Algorithm =>
  wire === WireAlgorithm.SM || wire === 'SM'
    ? 'sm'
    : wire === WireAlgorithm.KING || wire === 'KING'
      ? 'king'
      : 'om';
export const wireAlgorithm = (algorithm: Algorithm) =>
  algorithm === 'sm' ? WireAlgorithm.SM : algorithm === 'king' ? WireAlgorithm.KING : WireAlgorithm.OM;
