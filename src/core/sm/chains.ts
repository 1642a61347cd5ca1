import { isOrder, type Order } from '../order.js';
import { COMMANDER } from '../paths.js';
import type { ChainProof } from '../run/types.js';
import { chainLinkBytes, type Signer, type Verifier } from './signatures.js';

/**
 * SM(t)'s signed chains v:0:j1:...:jk: what makes one valid where it arrives, how a general adds
 * its own link, and the canonical order among chains for one value. Pure: signing and verifying
 * go through the Signer/Verifier seam.
 */

/** Where a chain arrived: it must be exactly what a general could relay there and then. */
export interface ChainArrival {
  readonly runId: string;
  readonly n: number;
  readonly round: number;
  readonly sender: number;
  readonly receiver: number;
}

/**
 * Why a chain is not valid where it arrived, or undefined when it is. A chain received in round r
 * has r+1 signers, starts at the commander, ends with the batch's sender, repeats no signer,
 * does not contain the receiver, and has one signature per signer, each verifying.
 */
export function chainFault(
  value: Order,
  chain: ChainProof,
  at: ChainArrival,
  verifier: Verifier,
): string | undefined {
  const { signers, signatures } = chain;
  if (!isOrder(value)) return `value ${String(value)} is neither ATTACK nor RETREAT`;
  if (signers.length !== at.round + 1) {
    return `${signers.length} signers in round ${at.round}: expected ${at.round + 1}`;
  }
  if (signatures.length !== signers.length) {
    return `${signatures.length} signatures for ${signers.length} signers`;
  }
  if (signers[0] !== COMMANDER) return 'does not start at the commander (0)';
  if (signers[signers.length - 1] !== at.sender) return `does not end with its sender ${at.sender}`;
  const seen = new Set<number>();
  for (const signer of signers) {
    if (!Number.isInteger(signer) || signer < 0 || signer >= at.n) return `signer ${signer} is not a general`;
    if (seen.has(signer)) return `signer ${signer} appears twice`;
    seen.add(signer);
  }
  if (seen.has(at.receiver)) return `already signed by its receiver ${at.receiver}`;
  for (let position = 0; position < signers.length; position++) {
    const signature = signatures[position];
    const previous = position === 0 ? undefined : signatures[position - 1];
    const bytes = chainLinkBytes(at.runId, value, signers, position, previous);
    if (
      !(signature instanceof Uint8Array) ||
      !verifier.verify(signers[position] as number, bytes, signature)
    ) {
      return `signature ${position} (general ${signers[position]}) does not verify`;
    }
  }
  return undefined;
}

/** The chain with `signer` appended and its signature over `value` and everything before it. */
export function extendChain(
  runId: string,
  value: Order,
  chain: ChainProof | undefined,
  id: number,
  signer: Signer,
): ChainProof {
  const signers = [...(chain?.signers ?? []), id];
  const position = signers.length - 1;
  const previous = chain?.signatures[position - 1];
  const signature = signer.sign(chainLinkBytes(runId, value, signers, position, previous));
  return { signers, signatures: [...(chain?.signatures ?? []), signature] };
}

/** Lexicographic order of signer lists: which of several valid chains a general relays. */
export function compareSigners(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
