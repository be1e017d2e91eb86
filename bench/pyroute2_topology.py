#!/usr/bin/python3
"""Variant d) of the NetNs benchmark: the standard topology with pyroute2 (Debian's python3-pyroute2 0.7.2).

Builds N namespaces TAG0..TAG(N-1), each with a veth whose end eth0 is in it and whose other end v<i> is a port
of bridge br0 in namespace TAGbr; in each namespace lo up, eth0 198.18.0.0+(i+2)/15 up, default route via
198.18.0.1 (the bridge's address). Then deletes the N+1 namespaces.

Namespaces are made with pyroute2.netns.create (which forks a child that unshares) and configured through one
IPRoute socket per namespace, opened inside it with netns.pushns/popns (setns on this thread and back). Teardown
is pyroute2.netns.remove (umount + unlink).

Protocol with the bench (bench/NetNs.Bench): prints "BUILT {json}" after the build, then with --wait reads one
line from stdin (the bench checks the topology meanwhile), tears down, and prints "DONE {json}". The JSON holds
the script's own clock: import_s (importing pyroute2), build_s, teardown_s. Whatever happens, every namespace
under /run/netns named TAG* is removed before the script exits.

Usage: pyroute2_topology.py --tag nb1a2b3c-d1- --n 200 [--wait]
"""
import argparse
import ipaddress
import json
import os
import signal
import sys
import time

T_START = time.perf_counter()
from pyroute2 import IPRoute, netns  # noqa: E402  (timed on purpose)

T_IMPORTED = time.perf_counter()

RUN_DIR = "/run/netns"
BRIDGE = "br0"
PEER = "eth0"
PREFIX_LEN = 15
BRIDGE_ADDRESS = "198.18.0.1"
BASE = int(ipaddress.IPv4Address("198.18.0.0"))
MAX_N = (1 << 17) - 3


def address(i):
    return str(ipaddress.IPv4Address(BASE + i + 2))


def ipr_in(name):
    """An IPRoute socket inside namespace `name` (the socket stays there; this thread goes back)."""
    netns.pushns(name)
    try:
        return IPRoute()
    finally:
        netns.popns()


def build(tag, n):
    br_ns = tag + "br"
    netns.create(br_ns)
    for i in range(n):
        netns.create(tag + str(i))
    br = ipr_in(br_ns)
    try:
        br.link("add", ifname=BRIDGE, kind="bridge")
        br_index = br.link_lookup(ifname=BRIDGE)[0]
        for i in range(n):
            ns, port = tag + str(i), "v" + str(i)
            br.link("add", ifname=port, kind="veth", peer={"ifname": PEER, "net_ns_fd": ns})
            port_index = br.link_lookup(ifname=port)[0]
            br.link("set", index=port_index, master=br_index, state="up")
            h = ipr_in(ns)
            try:
                lo = h.link_lookup(ifname="lo")[0]
                eth = h.link_lookup(ifname=PEER)[0]
                h.link("set", index=lo, state="up")
                h.addr("add", index=eth, address=address(i), prefixlen=PREFIX_LEN)
                h.link("set", index=eth, state="up")
                h.route("add", dst="0.0.0.0/0", gateway=BRIDGE_ADDRESS)
            finally:
                h.close()
        br.addr("add", index=br_index, address=BRIDGE_ADDRESS, prefixlen=PREFIX_LEN)
        br.link("set", index=br_index, state="up")
    finally:
        br.close()


def teardown(tag, n):
    netns.remove(tag + "br")
    for i in range(n):
        netns.remove(tag + str(i))


def cleanup(tag):
    """Removes every TAG* namespace still there (after a failure or an interrupt)."""
    try:
        names = os.listdir(RUN_DIR)
    except OSError:
        return
    for name in names:
        if name.startswith(tag):
            try:
                netns.remove(name)
            except OSError as e:
                print(f"cleanup: cannot remove {name}: {e}", file=sys.stderr)


def on_sigterm(signum, frame):
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tag", required=True, help="namespace name prefix, e.g. nb1a2b3c-d1-")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--wait", action="store_true", help="wait for a line on stdin between build and teardown")
    args = parser.parse_args()
    if len(args.tag) < 4 or "/" in args.tag:
        parser.error("--tag must be at least 4 characters and contain no '/'")
    if not 1 <= args.n <= MAX_N:
        parser.error(f"--n must be 1..{MAX_N}")
    signal.signal(signal.SIGTERM, on_sigterm)

    try:
        t0 = time.perf_counter()
        build(args.tag, args.n)
        t1 = time.perf_counter()
        result = {"import_s": T_IMPORTED - T_START, "build_s": t1 - t0}
        print("BUILT " + json.dumps(result), flush=True)
        if args.wait:
            sys.stdin.readline()
        t2 = time.perf_counter()
        teardown(args.tag, args.n)
        result["teardown_s"] = time.perf_counter() - t2
        print("DONE " + json.dumps(result), flush=True)
    finally:
        cleanup(args.tag)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
