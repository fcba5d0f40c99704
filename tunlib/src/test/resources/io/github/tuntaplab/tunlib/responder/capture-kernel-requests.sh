#!/usr/bin/env bash
# Regenerates kernel-requests.pcap: requests the Linux kernel really sends to a neighbour it wants
# to reach (ARP, neighbour solicitations incl. DAD with a nonce, unicast re-probes, ICMP and ICMPv6
# echo with and without IP options, broadcast and multicast echo), captured on the far end of a
# veth inside a throwaway namespace. Nobody answers, so every frame is a kernel request, as a
# responder behind a TAP would read it. Needs root, iproute2, iputils-ping, tcpdump.
#   usage: capture-kernel-requests.sh OUTPUT.pcap
set -euo pipefail
out=$1
rm -f "$out"   # tcpdump drops to its own user and may not truncate an old file
ns=tl-capreq-$$
peer_mac=00:00:5e:00:53:02   # RFC 7042 documentation MAC: the responder's
in_ns() { ip netns exec "$ns" "$@"; }
cleanup() { [ -n "${dump:-}" ] && kill "$dump" 2>/dev/null; wait 2>/dev/null; ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add tl-a type veth peer name tl-b
ip -n "$ns" link set tl-b address "$peer_mac"
in_ns sysctl -qw net.ipv6.conf.tl-b.disable_ipv6=1   # the far end is silent: only the responder may answer
in_ns sysctl -qw net.ipv4.neigh.tl-a.delay_first_probe_time=1 net.ipv6.neigh.tl-a.delay_first_probe_time=1
ip -n "$ns" link set tl-b up
ip -n "$ns" link set tl-a up
in_ns tcpdump -Q in -i tl-b -U -w "$out" 2>/dev/null &
dump=$!
sleep 1
ip -n "$ns" addr add 198.19.0.1/24 dev tl-a
ip -n "$ns" addr add 2001:db8:19::1/64 dev tl-a   # DAD: NS from :: with a nonce option
sleep 2
# Nobody answers: the kernel resolves the neighbour (broadcast ARP, multicast NS) and gives up.
in_ns ping -c1 -W1 198.19.0.2 >/dev/null || true
in_ns ping -6 -c1 -W1 2001:db8:19::2 >/dev/null || true
# With the neighbour known, the echo requests themselves leave.
ip -n "$ns" neigh replace 198.19.0.2 lladdr "$peer_mac" dev tl-a nud stale
ip -n "$ns" neigh replace 2001:db8:19::2 lladdr "$peer_mac" dev tl-a nud stale
in_ns ping -c1 -W1 198.19.0.2 >/dev/null || true
in_ns ping -6 -c1 -W1 2001:db8:19::2 >/dev/null || true
sleep 2   # a stale neighbour in use is re-probed by unicast ARP and unicast NS
ip -n "$ns" neigh replace 198.19.0.2 lladdr "$peer_mac" dev tl-a nud permanent
ip -n "$ns" neigh replace 2001:db8:19::2 lladdr "$peer_mac" dev tl-a nud permanent
in_ns ping -c1 -W1 -R 198.19.0.2 >/dev/null || true        # IPv4 options: IHL 15
in_ns ping -c1 -W1 -s 1400 198.19.0.2 >/dev/null || true
in_ns ping -6 -c1 -W1 -s 1400 2001:db8:19::2 >/dev/null || true
in_ns ping -c1 -W1 -b 198.19.0.255 >/dev/null 2>&1 || true   # broadcast: must stay unanswered
in_ns ping -6 -c1 -W1 ff02::1%tl-a >/dev/null || true        # all-nodes multicast, link-local source
ip -n "$ns" addr add 2001:db8:19::99/64 dev tl-a   # DAD for an address the responder also claims
sleep 2
