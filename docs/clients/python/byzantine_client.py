#!/usr/bin/env python3
"""Run Byzantine agreement once on running generals, from Python (grpcio).

Joins every general to a new run (the lieutenants first, then the commander, whose request alone
carries the order), waits for each general's decision, prints each general's tally and decision,
then judges the run: IC1 (every loyal lieutenant decided alike), IC2 (loyal lieutenants follow a
loyal commander) and the consensus.

The stubs are generated from proto/byzantine.proto, not kept in the repository:

    python3 -m grpc_tools.protoc -I proto --python_out=gen --grpc_python_out=gen proto/byzantine.proto
    PYTHONPATH=gen python3 docs/clients/python/byzantine_client.py --peers ... --order ATTACK --t 1

Exit status: 0 when IC1 and IC2 hold, 1 when one fails, 2 for bad input, 3 when a general cannot be
reached or refuses the call. See docs/clients.md.
"""

import argparse
import os
import secrets
import sys
import time

import grpc

try:
    import byzantine_pb2 as pb
    import byzantine_pb2_grpc as rpc
except ImportError:
    sys.exit(
        "byzantine_client: byzantine_pb2 not found: generate the stubs with\n"
        "  python3 -m grpc_tools.protoc -I proto --python_out=gen --grpc_python_out=gen proto/byzantine.proto\n"
        "and put that directory on PYTHONPATH"
    )

COMMANDER = 0
JOIN_DEADLINE_S = 10
# Past the rounds' own deadlines: the generals' work and the replies.
DECISION_SLACK_S = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peers", default=os.environ.get("PEERS"),
                        help="every general as host:port, comma-separated, index = id (default: $PEERS)")
    parser.add_argument("--order", required=True, choices=["ATTACK", "RETREAT"],
                        help="the commander's order")
    parser.add_argument("--t", type=int, required=True, help="traitors tolerated: the depth of OM(t) or SM(t)")
    parser.add_argument("--algorithm", default="OM", choices=["OM", "SM"], help="default: OM")
    parser.add_argument("--traitors", default=os.environ.get("TRAITORS", ""),
                        help="ids of the traitors, comma-separated, only to judge the verdict")
    parser.add_argument("--round-timeout", type=int, default=5000, metavar="MS",
                        help="each round's deadline, 1..600000 ms (default: 5000)")
    parser.add_argument("--auth", default=os.environ.get("AUTH", "on"), choices=["on", "off"],
                        help="off: plaintext, for generals run with AUTH=off (default: $AUTH or on)")
    parser.add_argument("--certs", default=os.environ.get("CERTS_DIR"), metavar="DIR",
                        help="the cluster's public certificates, keys/public: ca.pem and client.pem "
                             "(default: $CERTS_DIR)")
    parser.add_argument("--key", default=os.environ.get("CLIENT_KEY_FILE"), metavar="FILE",
                        help="the client's private key, keys/private/client.pem (default: $CLIENT_KEY_FILE)")
    args = parser.parse_args()

    if not args.peers:
        parser.error("--peers (or PEERS) is required: host:port,host:port,...")
    args.peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    if len(args.peers) < 2:
        parser.error(f"--peers needs at least 2 generals, got {args.peers}")
    try:
        args.traitors = {int(i) for i in args.traitors.split(",") if i.strip() not in ("", "none")}
    except ValueError:
        parser.error(f"--traitors must be ids such as 1,3 or none, got {args.traitors!r}")
    if not 1 <= args.round_timeout <= 600_000:
        parser.error(f"--round-timeout must be 1..600000 ms, got {args.round_timeout}")
    if args.auth == "on" and not (args.certs and args.key):
        parser.error("with authentication on, give --certs DIR and --key FILE (or --auth off)")
    return args


def channels(args):
    """One channel per general. Under TLS each general must prove it is general-<id>, whatever
    address it is reached at, and the client presents its own certificate (mutual TLS)."""
    if args.auth == "off":
        return [grpc.insecure_channel(address) for address in args.peers]

    def read(path):
        try:
            with open(path, "rb") as f:
                return f.read()
        except OSError as error:
            sys.exit(f"byzantine_client: cannot read {path}: {error.strerror}")

    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(os.path.join(args.certs, "ca.pem")),
        private_key=read(args.key),
        certificate_chain=read(os.path.join(args.certs, "client.pem")),
    )
    return [
        grpc.secure_channel(address, credentials, options=[("grpc.ssl_target_name_override", f"general-{i}")])
        for i, address in enumerate(args.peers)
    ]


def call(general, stub, method, request, timeout):
    """One call to one general; a failure ends the client with exit status 3, naming the general."""
    try:
        return getattr(stub, method)(request, timeout=timeout)
    except grpc.RpcError as error:
        print(f"byzantine_client: general {general}: {method} failed: {error.code().name}: {error.details()}",
              file=sys.stderr)
        sys.exit(3)


def run(args, stubs):
    run_id = f"py-{int(time.time() * 1000):x}-{secrets.token_hex(3)}"
    join = dict(run_id=run_id, generals=len(stubs), t=args.t, round_timeout_ms=args.round_timeout,
                algorithm=pb.Algorithm.Value(args.algorithm))
    for i in range(1, len(stubs)):
        call(i, stubs[i], "RunAlgorithm", pb.RunAlgorithmRequest(**join), JOIN_DEADLINE_S)
    call(COMMANDER, stubs[COMMANDER], "RunAlgorithm",
         pb.RunAlgorithmRequest(**join, order=pb.Order.Value(args.order)), JOIN_DEADLINE_S)

    # t+1 rounds after the commander's, each at most its deadline.
    wait = (args.t + 2) * args.round_timeout / 1000 + DECISION_SLACK_S
    return run_id, [call(i, stub, "GetDecision", pb.GetDecisionRequest(run_id=run_id), wait)
                    for i, stub in enumerate(stubs)]


def verdict(order, traitors, decisions):
    """IC1, IC2 and the consensus, over the loyal lieutenants' decisions."""
    loyal = [d for d in decisions if d.id != COMMANDER and d.id not in traitors]
    chosen = {pb.Order.Name(d.decision) for d in loyal}
    ic1 = len(chosen) <= 1
    ic2 = COMMANDER in traitors or chosen <= {order}
    consensus = chosen.pop() if ic1 and chosen else None
    return ic1, ic2, consensus


def main():
    args = parse_args()
    stubs = [rpc.GeneralStub(channel) for channel in channels(args)]
    run_id, decisions = run(args, stubs)

    print(f"{args.algorithm}({args.t}) with {len(stubs)} generals, order {args.order}, run {run_id}\n")
    print(f"{'general':<8} {'role':<11} {'traitor':<8} {'decision':<15} {'ATTACK':>6} {'RETREAT':>7} {'missing':>7}")
    for d in decisions:
        role = "commander" if d.id == COMMANDER else "lieutenant"
        decision = f"(order {args.order})" if d.id == COMMANDER else pb.Order.Name(d.decision)
        traitor = "yes" if d.id in args.traitors else "no"
        print(f"{d.id:<8} {role:<11} {traitor:<8} {decision:<15} "
              f"{d.tally.attack:>6} {d.tally.retreat:>7} {d.values_missing:>7}")
    print()

    ic1, ic2, consensus = verdict(args.order, args.traitors, decisions)
    print("IC1 holds: every loyal lieutenant decided alike" if ic1
          else "IC1 FAILS: loyal lieutenants decided differently")
    print("IC2 holds: loyal lieutenants follow a loyal commander" if ic2
          else f"IC2 FAILS: a loyal lieutenant did not follow the loyal commander's {args.order}")
    print(f"Final consensus reached: {consensus}" if consensus else "No consensus reached")
    return 0 if ic1 and ic2 else 1


if __name__ == "__main__":
    sys.exit(main())
