/**
 * Who is on the other end of a connection, as its certificate says: a general (by id) or the
 * client. The identity travels in a URI subject alternative name in the SPIFFE style,
 * spiffe://byzantine/general/<id> or spiffe://byzantine/client, so that it never depends on the
 * address a peer was reached at (127.0.0.1 for `local`, a service name in a container).
 */
export type Identity = { readonly kind: 'general'; readonly id: number } | { readonly kind: 'client' };

export const TRUST_DOMAIN = 'byzantine';
const GENERAL_URI = new RegExp(`^spiffe://${TRUST_DOMAIN}/general/(0|[1-9]\\d{0,3})$`);
const CLIENT_URI = `spiffe://${TRUST_DOMAIN}/client`;
/** The most generals a cluster may hold: ids are 0..MAX_GENERAL_ID. */
export const MAX_GENERAL_ID = 9999;

export const generalIdentity = (id: number): Identity => ({ kind: 'general', id });
export const CLIENT_IDENTITY: Identity = { kind: 'client' };

export function identityUri(identity: Identity): string {
  return identity.kind === 'client' ? CLIENT_URI : `spiffe://${TRUST_DOMAIN}/general/${identity.id}`;
}

/**
 * The TLS name general `id` answers to, whatever address it is reached at: every general's
 * certificate carries it as a DNS name, and every peer dials with it as the target name.
 */
export const generalHostName = (id: number): string => `general-${id}`;

export function describeIdentity(identity: Identity | undefined): string {
  if (identity === undefined) return 'a caller with no cluster identity';
  return identity.kind === 'client' ? 'the client' : `general ${identity.id}`;
}

export function sameIdentity(a: Identity | undefined, b: Identity | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return a.kind === b.kind && (a.kind === 'client' || a.id === (b as { id: number }).id);
}

/**
 * The identity in a certificate's subject alternative names, as Node writes them
 * ("DNS:general-3, URI:spiffe://byzantine/general/3"). Undefined when there is none, or more than
 * one: a certificate that claims two identities claims none.
 */
export function identityOf(subjectAltName: string | undefined): Identity | undefined {
  if (subjectAltName === undefined) return undefined;
  const found: Identity[] = [];
  for (const entry of subjectAltName.split(', ')) {
    if (!entry.startsWith('URI:')) continue;
    const uri = entry.slice('URI:'.length);
    if (uri === CLIENT_URI) found.push(CLIENT_IDENTITY);
    const general = GENERAL_URI.exec(uri);
    if (general?.[1] !== undefined) found.push(generalIdentity(Number(general[1])));
  }
  return found.length === 1 ? found[0] : undefined;
}
