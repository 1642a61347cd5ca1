import * as grpc from '@grpc/grpc-js';
import type { Credentials } from '../auth/credentials.js';
import { generalHostName, type Identity, identityOf } from '../auth/identity.js';

/**
 * How a member of the cluster talks: mutual TLS under the cluster CA (the default), or plaintext
 * with no checks at all (AUTH=off, which says so at every start).
 */
export type TransportSecurity =
  | { readonly mode: 'off' }
  | { readonly mode: 'tls'; readonly credentials: Credentials };

export const PLAINTEXT: TransportSecurity = { mode: 'off' };

/** A general serves TLS only, and only to callers with a certificate from the cluster CA. */
export function serverCredentials(security: TransportSecurity): grpc.ServerCredentials {
  if (security.mode === 'off') return grpc.ServerCredentials.createInsecure();
  const { caPem, keyPem, certPem } = security.credentials;
  return grpc.ServerCredentials.createSsl(caPem, [{ private_key: keyPem, cert_chain: certPem }], true);
}

export function channelCredentials(security: TransportSecurity): grpc.ChannelCredentials {
  if (security.mode === 'off') return grpc.credentials.createInsecure();
  const { caPem, keyPem, certPem } = security.credentials;
  return grpc.credentials.createSsl(caPem, keyPem, certPem);
}

/**
 * Channel options for reaching general `id`: under TLS the server must prove it is general-<id>,
 * whatever address PEERS gives (an IP address for `local`, a service name in a container). Dialling
 * by that name also keeps Node from warning about TLS server names that are IP addresses (DEP0123).
 */
export function peerChannelOptions(security: TransportSecurity, id: number): grpc.ChannelOptions {
  return security.mode === 'off' ? {} : { 'grpc.ssl_target_name_override': generalHostName(id) };
}

/**
 * Who called, from the verified certificate of the call's connection: undefined without TLS, or
 * for a certificate that names no cluster identity (the TLS layer has already checked the CA).
 */
export function callerIdentity(call: {
  getAuthContext(): { readonly sslPeerCertificate?: { readonly subjectaltname?: string } } | null;
}): Identity | undefined {
  return identityOf(call.getAuthContext()?.sslPeerCertificate?.subjectaltname);
}
