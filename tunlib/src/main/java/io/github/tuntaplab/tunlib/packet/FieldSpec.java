package io.github.tuntaplab.tunlib.packet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What the dissector knows about one field name: its Wireshark name, label, how its bytes become a
 * value and a line of text. The parser records only a spec id with each byte range; values and text
 * come from here when someone asks.
 */
final class FieldSpec {
  enum Kind { UINT, HEX, FLAG, MAC, IPV4, IPV6, BYTES, DNS_NAME }

  private static final List<FieldSpec> REGISTRY = new ArrayList<>();

  // Layers (protocol names as Wireshark prints them).
  static final int ETH = layer("eth", "Ethernet II");
  static final int VLAN = layer("vlan", "802.1Q Virtual LAN");
  static final int QINQ = layer("ieee8021ad", "IEEE 802.1ad");
  static final int SLL = layer("sll", "Linux cooked capture");
  static final int TUN = layer("tun", "TUN packet information");
  static final int ARP = layer("arp", "Address Resolution Protocol");
  static final int IP = layer("ip", "Internet Protocol Version 4");
  static final int IPV6 = layer("ipv6", "Internet Protocol Version 6");
  static final int ICMP = layer("icmp", "Internet Control Message Protocol");
  static final int ICMPV6 = layer("icmpv6", "Internet Control Message Protocol v6");
  static final int UDP = layer("udp", "User Datagram Protocol");
  static final int UDPLITE = layer("udplite", "Lightweight User Datagram Protocol");
  static final int TCP = layer("tcp", "Transmission Control Protocol");
  static final int DNS = layer("dns", "Domain Name System");
  static final int VXLAN = layer("vxlan", "Virtual eXtensible Local Area Network");
  static final int WG = layer("wg", "WireGuard Protocol");
  static final int TUNLAB = layer("tunlab", "TunTap Lab AEAD tunnel");
  static final int DATA = layer("data", "Data");
  static final int PADDING = layer("padding", "Ethernet padding and trailer");

  static final int DATA_DATA = spec("data.data", "Data", Kind.BYTES);

  static final int ETH_DST = spec("eth.dst", "Destination", Kind.MAC);
  static final int ETH_SRC = spec("eth.src", "Source", Kind.MAC);
  static final int ETH_TYPE = named("eth.type", "Type", Kind.HEX, 0, ethertypes());
  static final int ETH_LEN = spec("eth.len", "Length", Kind.UINT);
  static final int ETH_PADDING = spec("eth.padding", "Padding", Kind.BYTES);
  static final int ETH_TRAILER = spec("eth.trailer", "Trailer", Kind.BYTES);
  static final int VLAN_PRIORITY = masked("vlan.priority", "Priority", Kind.UINT, 0xe000);
  static final int VLAN_DEI = masked("vlan.dei", "DEI", Kind.FLAG, 0x1000);
  static final int VLAN_ID = masked("vlan.id", "ID", Kind.UINT, 0x0fff);
  static final int VLAN_ETYPE = named("vlan.etype", "Type", Kind.HEX, 0, ethertypes());
  static final int QINQ_PRIORITY = masked("ieee8021ad.priority", "Priority", Kind.UINT, 0xe000);
  static final int QINQ_DEI = masked("ieee8021ad.dei", "DEI", Kind.FLAG, 0x1000);
  static final int QINQ_ID = masked("ieee8021ad.id", "ID", Kind.UINT, 0x0fff);
  // Wireshark's 802.1ad dissector reuses the 802.1ah name for the inner type.
  static final int QINQ_ETYPE = named("ieee8021ah.etype", "Type", Kind.HEX, 0, ethertypes());

  static final int SLL_PKTTYPE = spec("sll.pkttype", "Packet type", Kind.UINT);
  static final int SLL_HATYPE = spec("sll.hatype", "Link-layer address type", Kind.UINT);
  static final int SLL_HALEN = spec("sll.halen", "Link-layer address length", Kind.UINT);
  static final int SLL_SRC_ETH = spec("sll.src.eth", "Source", Kind.MAC);
  static final int SLL_SRC_OTHER = spec("sll.src.other", "Source", Kind.BYTES);
  static final int SLL_UNUSED = spec("sll.unused", "Unused", Kind.BYTES);
  static final int SLL_ETYPE = named("sll.etype", "Protocol", Kind.HEX, 0, ethertypes());
  static final int SLL_LTYPE = spec("sll.ltype", "Protocol", Kind.HEX);
  static final int SLL_RESERVED = spec("sll.reserved", "Reserved", Kind.HEX);
  static final int SLL_IFINDEX = spec("sll.ifindex", "Interface index", Kind.UINT);

  static final int TUN_FLAGS = spec("tun.flags", "Flags", Kind.HEX);
  static final int TUN_PROTO = named("tun.proto", "Protocol", Kind.HEX, 0, ethertypes());

  static final int ARP_HW_TYPE = named("arp.hw.type", "Hardware type", Kind.UINT, 0,
      v -> v == 1 ? "Ethernet" : null);
  static final int ARP_PROTO_TYPE = named("arp.proto.type", "Protocol type", Kind.HEX, 0, ethertypes());
  static final int ARP_HW_SIZE = spec("arp.hw.size", "Hardware size", Kind.UINT);
  static final int ARP_PROTO_SIZE = spec("arp.proto.size", "Protocol size", Kind.UINT);
  static final int ARP_OPCODE = named("arp.opcode", "Opcode", Kind.UINT, 0, v -> ArpOperation.of(v).name());
  static final int ARP_SRC_HW_MAC = spec("arp.src.hw_mac", "Sender MAC address", Kind.MAC);
  static final int ARP_SRC_PROTO_IPV4 = spec("arp.src.proto_ipv4", "Sender IP address", Kind.IPV4);
  static final int ARP_DST_HW_MAC = spec("arp.dst.hw_mac", "Target MAC address", Kind.MAC);
  static final int ARP_DST_PROTO_IPV4 = spec("arp.dst.proto_ipv4", "Target IP address", Kind.IPV4);
  static final int ARP_SRC_HW = spec("arp.src.hw", "Sender hardware address", Kind.BYTES);
  static final int ARP_SRC_PROTO = spec("arp.src.proto", "Sender protocol address", Kind.BYTES);
  static final int ARP_DST_HW = spec("arp.dst.hw", "Target hardware address", Kind.BYTES);
  static final int ARP_DST_PROTO = spec("arp.dst.proto", "Target protocol address", Kind.BYTES);

  static final int IP_VERSION = masked("ip.version", "Version", Kind.UINT, 0xf0);
  static final int IP_HDR_LEN = scaled("ip.hdr_len", "Header Length", 0x0f, 4);
  static final int IP_DSFIELD = spec("ip.dsfield", "Differentiated Services Field", Kind.HEX);
  static final int IP_DSCP = masked("ip.dsfield.dscp", "Differentiated Services Codepoint", Kind.UINT, 0xfc);
  static final int IP_ECN = masked("ip.dsfield.ecn", "Explicit Congestion Notification", Kind.UINT, 0x03);
  static final int IP_LEN = spec("ip.len", "Total Length", Kind.UINT);
  static final int IP_ID = spec("ip.id", "Identification", Kind.HEX);
  static final int IP_FLAGS = masked("ip.flags", "Flags", Kind.HEX, 0xe0);
  static final int IP_FLAGS_RB = masked("ip.flags.rb", "Reserved bit", Kind.FLAG, 0x80);
  static final int IP_FLAGS_DF = masked("ip.flags.df", "Don't fragment", Kind.FLAG, 0x40);
  static final int IP_FLAGS_MF = masked("ip.flags.mf", "More fragments", Kind.FLAG, 0x20);
  static final int IP_FRAG_OFFSET = scaled("ip.frag_offset", "Fragment Offset", 0x1fff, 8);
  static final int IP_TTL = spec("ip.ttl", "Time to Live", Kind.UINT);
  static final int IP_PROTO = named("ip.proto", "Protocol", Kind.UINT, 0, v -> IpProtocol.of(v).name());
  static final int IP_CHECKSUM = spec("ip.checksum", "Header Checksum", Kind.HEX);
  static final int IP_SRC = spec("ip.src", "Source Address", Kind.IPV4);
  static final int IP_DST = spec("ip.dst", "Destination Address", Kind.IPV4);
  static final int IP_OPTIONS = spec("ip.options", "Options", Kind.BYTES);
  static final int IP_OPTION = spec("ip.option", "IP Option", Kind.BYTES);
  static final int IP_OPT_TYPE = named("ip.opt.type", "Type", Kind.UINT, 0, FieldSpec::ipOptionName);
  static final int IP_OPT_LEN = spec("ip.opt.len", "Length", Kind.UINT);
  static final int IP_OPT_DATA = spec("ip.opt.data", "Option data", Kind.BYTES);

  static final int IPV6_VERSION = masked("ipv6.version", "Version", Kind.UINT, 0xf0);
  static final int IPV6_TCLASS = masked("ipv6.tclass", "Traffic Class", Kind.HEX, 0x0ff00000L);
  static final int IPV6_DSCP = masked("ipv6.tclass.dscp", "Differentiated Services Codepoint", Kind.UINT, 0x0fc00000L);
  static final int IPV6_ECN = masked("ipv6.tclass.ecn", "Explicit Congestion Notification", Kind.UINT, 0x00300000L);
  static final int IPV6_FLOW = masked("ipv6.flow", "Flow Label", Kind.HEX, 0x0fffff);
  static final int IPV6_PLEN = spec("ipv6.plen", "Payload Length", Kind.UINT);
  static final int IPV6_NXT = named("ipv6.nxt", "Next Header", Kind.UINT, 0, v -> IpProtocol.of(v).name());
  static final int IPV6_HLIM = spec("ipv6.hlim", "Hop Limit", Kind.UINT);
  static final int IPV6_SRC = spec("ipv6.src", "Source Address", Kind.IPV6);
  static final int IPV6_DST = spec("ipv6.dst", "Destination Address", Kind.IPV6);
  static final int IPV6_HOPOPTS = spec("ipv6.hopopts", "Hop-by-Hop Options", Kind.BYTES);
  static final int IPV6_HOPOPTS_NXT = named("ipv6.hopopts.nxt", "Next Header", Kind.UINT, 0, v -> IpProtocol.of(v).name());
  static final int IPV6_HOPOPTS_LEN = spec("ipv6.hopopts.len", "Length", Kind.UINT);
  static final int IPV6_DSTOPTS = spec("ipv6.dstopts", "Destination Options", Kind.BYTES);
  static final int IPV6_DSTOPTS_NXT = named("ipv6.dstopts.nxt", "Next Header", Kind.UINT, 0, v -> IpProtocol.of(v).name());
  static final int IPV6_DSTOPTS_LEN = spec("ipv6.dstopts.len", "Length", Kind.UINT);
  static final int IPV6_OPT = spec("ipv6.opt", "Option", Kind.BYTES);
  static final int IPV6_OPT_TYPE = spec("ipv6.opt.type", "Type", Kind.HEX);
  static final int IPV6_OPT_LENGTH = spec("ipv6.opt.length", "Length", Kind.UINT);
  static final int IPV6_OPT_PAD1 = spec("ipv6.opt.pad1", "Pad1", Kind.BYTES);
  static final int IPV6_ROUTING = spec("ipv6.routing", "Routing Header", Kind.BYTES);
  static final int IPV6_ROUTING_NXT = named("ipv6.routing.nxt", "Next Header", Kind.UINT, 0, v -> IpProtocol.of(v).name());
  static final int IPV6_ROUTING_LEN = spec("ipv6.routing.len", "Length", Kind.UINT);
  static final int IPV6_ROUTING_TYPE = spec("ipv6.routing.type", "Type", Kind.UINT);
  static final int IPV6_ROUTING_SEGLEFT = spec("ipv6.routing.segleft", "Segments Left", Kind.UINT);
  static final int IPV6_FRAGHDR = spec("ipv6.fraghdr", "Fragment Header", Kind.BYTES);
  static final int IPV6_FRAGHDR_NXT = named("ipv6.fraghdr.nxt", "Next header", Kind.UINT, 0, v -> IpProtocol.of(v).name());
  static final int IPV6_FRAGHDR_RESERVED = spec("ipv6.fraghdr.reserved_octet", "Reserved octet", Kind.HEX);
  static final int IPV6_FRAGHDR_OFFSET = scaled("ipv6.fraghdr.offset", "Offset", 0xfff8, 1);
  static final int IPV6_FRAGHDR_MORE = masked("ipv6.fraghdr.more", "More Fragments", Kind.FLAG, 0x0001);
  static final int IPV6_FRAGHDR_IDENT = spec("ipv6.fraghdr.ident", "Identification", Kind.HEX);

  static final int ICMP_TYPE = named("icmp.type", "Type", Kind.UINT, 0, v -> IcmpType.of(v).name());
  static final int ICMP_CODE = spec("icmp.code", "Code", Kind.UINT);
  static final int ICMP_CHECKSUM = spec("icmp.checksum", "Checksum", Kind.HEX);
  static final int ICMP_IDENT = spec("icmp.ident", "Identifier (BE)", Kind.UINT);
  static final int ICMP_SEQ = spec("icmp.seq", "Sequence Number (BE)", Kind.UINT);
  static final int ICMP_UNUSED = spec("icmp.unused", "Unused", Kind.BYTES);
  static final int ICMP_MTU = spec("icmp.mtu", "MTU of next hop", Kind.UINT);
  static final int ICMP_REDIR_GW = spec("icmp.redir_gw", "Gateway Address", Kind.IPV4);
  static final int ICMP_POINTER = spec("icmp.pointer", "Pointer", Kind.UINT);

  static final int ICMPV6_TYPE = named("icmpv6.type", "Type", Kind.UINT, 0, v -> Icmpv6Type.of(v).name());
  static final int ICMPV6_CODE = spec("icmpv6.code", "Code", Kind.UINT);
  static final int ICMPV6_CHECKSUM = spec("icmpv6.checksum", "Checksum", Kind.HEX);
  static final int ICMPV6_RESERVED = spec("icmpv6.reserved", "Reserved", Kind.BYTES);
  static final int ICMPV6_MTU = spec("icmpv6.mtu", "MTU", Kind.UINT);
  static final int ICMPV6_POINTER = spec("icmpv6.pointer", "Pointer", Kind.UINT);
  static final int ICMPV6_ECHO_ID = spec("icmpv6.echo.identifier", "Identifier", Kind.HEX);
  static final int ICMPV6_ECHO_SEQ = spec("icmpv6.echo.sequence_number", "Sequence", Kind.UINT);
  static final int ICMPV6_RA_HOP_LIMIT = spec("icmpv6.nd.ra.cur_hop_limit", "Cur hop limit", Kind.UINT);
  static final int ICMPV6_RA_FLAG = spec("icmpv6.nd.ra.flag", "Flags", Kind.HEX);
  static final int ICMPV6_RA_FLAG_M = masked("icmpv6.nd.ra.flag.m", "Managed address configuration", Kind.FLAG, 0x80);
  static final int ICMPV6_RA_FLAG_O = masked("icmpv6.nd.ra.flag.o", "Other configuration", Kind.FLAG, 0x40);
  static final int ICMPV6_RA_LIFETIME = spec("icmpv6.nd.ra.router_lifetime", "Router lifetime (s)", Kind.UINT);
  static final int ICMPV6_RA_REACHABLE = spec("icmpv6.nd.ra.reachable_time", "Reachable time (ms)", Kind.UINT);
  static final int ICMPV6_RA_RETRANS = spec("icmpv6.nd.ra.retrans_timer", "Retrans timer (ms)", Kind.UINT);
  static final int ICMPV6_NS_TARGET = spec("icmpv6.nd.ns.target_address", "Target Address", Kind.IPV6);
  static final int ICMPV6_NA_FLAG = spec("icmpv6.nd.na.flag", "Flags", Kind.HEX);
  static final int ICMPV6_NA_FLAG_R = masked("icmpv6.nd.na.flag.r", "Router", Kind.FLAG, 0x80000000L);
  static final int ICMPV6_NA_FLAG_S = masked("icmpv6.nd.na.flag.s", "Solicited", Kind.FLAG, 0x40000000L);
  static final int ICMPV6_NA_FLAG_O = masked("icmpv6.nd.na.flag.o", "Override", Kind.FLAG, 0x20000000L);
  static final int ICMPV6_NA_TARGET = spec("icmpv6.nd.na.target_address", "Target Address", Kind.IPV6);
  static final int ICMPV6_RD_TARGET = spec("icmpv6.nd.rd.target_address", "Target Address", Kind.IPV6);
  static final int ICMPV6_RD_DESTINATION = spec("icmpv6.nd.rd.destination_address", "Destination Address", Kind.IPV6);
  static final int ICMPV6_MLD_DELAY = spec("icmpv6.mld.maximum_response_delay", "Maximum Response Delay [ms]", Kind.UINT);
  static final int ICMPV6_MLD_ADDRESS = spec("icmpv6.mld.multicast_address", "Multicast Address", Kind.IPV6);
  static final int ICMPV6_MLDR_RECORDS = spec("icmpv6.mldr.nb_mcast_records", "Number of Multicast Address Records", Kind.UINT);
  static final int ICMPV6_MLDR_MAR = spec("icmpv6.mldr.mar", "Multicast Address Record", Kind.BYTES);
  static final int ICMPV6_MLDR_RECORD_TYPE = spec("icmpv6.mldr.mar.record_type", "Record Type", Kind.UINT);
  static final int ICMPV6_MLDR_AUX_LEN = spec("icmpv6.mldr.mar.aux_data_len", "Aux Data Len", Kind.UINT);
  static final int ICMPV6_MLDR_SOURCES = spec("icmpv6.mldr.mar.nb_sources", "Number of Sources", Kind.UINT);
  static final int ICMPV6_MLDR_ADDRESS = spec("icmpv6.mldr.mar.multicast_address", "Multicast Address", Kind.IPV6);
  static final int ICMPV6_MLDR_SOURCE = spec("icmpv6.mldr.mar.source_address", "Source Address", Kind.IPV6);
  static final int ICMPV6_MLDR_AUX = spec("icmpv6.mldr.mar.auxiliary_data", "Aux Data", Kind.BYTES);
  static final int ICMPV6_OPT = spec("icmpv6.opt", "ICMPv6 Option", Kind.BYTES);
  static final int ICMPV6_OPT_TYPE = named("icmpv6.opt.type", "Type", Kind.UINT, 0, FieldSpec::ndOptionName);
  static final int ICMPV6_OPT_LENGTH = scaled("icmpv6.opt.length", "Length", 0, 1);
  static final int ICMPV6_OPT_LINKADDR = spec("icmpv6.opt.linkaddr", "Link-layer address", Kind.MAC);
  static final int ICMPV6_OPT_PREFIX_LENGTH = spec("icmpv6.opt.prefix.length", "Prefix Length", Kind.UINT);
  static final int ICMPV6_OPT_PREFIX_FLAG = spec("icmpv6.opt.prefix.flag", "Flag", Kind.HEX);
  static final int ICMPV6_OPT_PREFIX_FLAG_L = masked("icmpv6.opt.prefix.flag.l", "On-link flag (L)", Kind.FLAG, 0x80);
  static final int ICMPV6_OPT_PREFIX_FLAG_A = masked("icmpv6.opt.prefix.flag.a", "Autonomous address-configuration flag (A)", Kind.FLAG, 0x40);
  static final int ICMPV6_OPT_PREFIX_VALID = spec("icmpv6.opt.prefix.valid_lifetime", "Valid Lifetime", Kind.UINT);
  static final int ICMPV6_OPT_PREFIX_PREFERRED = spec("icmpv6.opt.prefix.preferred_lifetime", "Preferred Lifetime", Kind.UINT);
  static final int ICMPV6_OPT_RESERVED = spec("icmpv6.opt.reserved", "Reserved", Kind.BYTES);
  static final int ICMPV6_OPT_PREFIX = spec("icmpv6.opt.prefix", "Prefix", Kind.IPV6);
  static final int ICMPV6_OPT_MTU = spec("icmpv6.opt.mtu", "MTU", Kind.UINT);
  static final int ICMPV6_OPT_NONCE = spec("icmpv6.opt.nonce", "Nonce", Kind.BYTES);
  static final int ICMPV6_OPT_DATA = spec("icmpv6.opt.data", "Data", Kind.BYTES);

  static final int UDP_SRCPORT = spec("udp.srcport", "Source Port", Kind.UINT);
  static final int UDP_DSTPORT = spec("udp.dstport", "Destination Port", Kind.UINT);
  static final int UDP_LENGTH = spec("udp.length", "Length", Kind.UINT);
  static final int UDP_CHECKSUM = spec("udp.checksum", "Checksum", Kind.HEX);
  static final int UDP_CHECKSUM_COVERAGE = spec("udp.checksum_coverage", "Checksum coverage", Kind.UINT);

  static final int TCP_SRCPORT = spec("tcp.srcport", "Source Port", Kind.UINT);
  static final int TCP_DSTPORT = spec("tcp.dstport", "Destination Port", Kind.UINT);
  static final int TCP_SEQ = spec("tcp.seq", "Sequence Number (raw)", Kind.UINT);
  static final int TCP_ACK = spec("tcp.ack", "Acknowledgment Number (raw)", Kind.UINT);
  static final int TCP_HDR_LEN = scaled("tcp.hdr_len", "Header Length", 0xf0, 4);
  static final int TCP_FLAGS = masked("tcp.flags", "Flags", Kind.HEX, 0x0fff);
  static final int TCP_FLAGS_RES = masked("tcp.flags.res", "Reserved", Kind.FLAG, 0x0e);
  static final int TCP_FLAGS_AE = masked("tcp.flags.ae", "Accurate ECN", Kind.FLAG, 0x01);
  static final int TCP_FLAGS_CWR = masked("tcp.flags.cwr", "Congestion Window Reduced", Kind.FLAG, 0x80);
  static final int TCP_FLAGS_ECE = masked("tcp.flags.ece", "ECN-Echo", Kind.FLAG, 0x40);
  static final int TCP_FLAGS_URG = masked("tcp.flags.urg", "Urgent", Kind.FLAG, 0x20);
  static final int TCP_FLAGS_ACK = masked("tcp.flags.ack", "Acknowledgment", Kind.FLAG, 0x10);
  static final int TCP_FLAGS_PUSH = masked("tcp.flags.push", "Push", Kind.FLAG, 0x08);
  static final int TCP_FLAGS_RESET = masked("tcp.flags.reset", "Reset", Kind.FLAG, 0x04);
  static final int TCP_FLAGS_SYN = masked("tcp.flags.syn", "Syn", Kind.FLAG, 0x02);
  static final int TCP_FLAGS_FIN = masked("tcp.flags.fin", "Fin", Kind.FLAG, 0x01);
  static final int TCP_WINDOW = spec("tcp.window_size_value", "Window", Kind.UINT);
  static final int TCP_CHECKSUM = spec("tcp.checksum", "Checksum", Kind.HEX);
  static final int TCP_URGENT = spec("tcp.urgent_pointer", "Urgent Pointer", Kind.UINT);
  static final int TCP_OPTIONS = spec("tcp.options", "Options", Kind.BYTES);
  static final int TCP_OPTION_KIND = named("tcp.option_kind", "Kind", Kind.UINT, 0, FieldSpec::tcpOptionName);
  static final int TCP_OPTION_LEN = spec("tcp.option_len", "Length", Kind.UINT);
  static final int TCP_OPT_EOL = spec("tcp.options.eol", "End of Option List", Kind.BYTES);
  static final int TCP_OPT_NOP = spec("tcp.options.nop", "No-Operation (NOP)", Kind.BYTES);
  static final int TCP_OPT_MSS = spec("tcp.options.mss", "Maximum segment size", Kind.BYTES);
  static final int TCP_OPT_MSS_VAL = spec("tcp.options.mss_val", "MSS Value", Kind.UINT);
  static final int TCP_OPT_WSCALE = spec("tcp.options.wscale", "Window scale", Kind.BYTES);
  static final int TCP_OPT_WSCALE_SHIFT = spec("tcp.options.wscale.shift", "Shift count", Kind.UINT);
  static final int TCP_OPT_SACK_PERM = spec("tcp.options.sack_perm", "SACK permitted", Kind.BYTES);
  static final int TCP_OPT_SACK = spec("tcp.options.sack", "SACK", Kind.BYTES);
  static final int TCP_OPT_SACK_LE = spec("tcp.options.sack_le", "left edge (raw)", Kind.UINT);
  static final int TCP_OPT_SACK_RE = spec("tcp.options.sack_re", "right edge (raw)", Kind.UINT);
  static final int TCP_OPT_TIMESTAMP = spec("tcp.options.timestamp", "Timestamps", Kind.BYTES);
  static final int TCP_OPT_TSVAL = spec("tcp.options.timestamp.tsval", "Timestamp value", Kind.UINT);
  static final int TCP_OPT_TSECR = spec("tcp.options.timestamp.tsecr", "Timestamp echo reply", Kind.UINT);
  static final int TCP_OPT_UNKNOWN = spec("tcp.options.unknown", "Unknown option", Kind.BYTES);
  static final int TCP_OPT_PAYLOAD = spec("tcp.options.unknown.payload", "Payload", Kind.BYTES);

  static final int DNS_ID = spec("dns.id", "Transaction ID", Kind.HEX);
  static final int DNS_FLAGS = spec("dns.flags", "Flags", Kind.HEX);
  static final int DNS_FLAGS_RESPONSE = masked("dns.flags.response", "Response", Kind.FLAG, 0x8000);
  static final int DNS_FLAGS_OPCODE = masked("dns.flags.opcode", "Opcode", Kind.UINT, 0x7800);
  static final int DNS_FLAGS_AUTHORITATIVE = masked("dns.flags.authoritative", "Authoritative", Kind.FLAG, 0x0400);
  static final int DNS_FLAGS_TRUNCATED = masked("dns.flags.truncated", "Truncated", Kind.FLAG, 0x0200);
  static final int DNS_FLAGS_RECDESIRED = masked("dns.flags.recdesired", "Recursion desired", Kind.FLAG, 0x0100);
  static final int DNS_FLAGS_RECAVAIL = masked("dns.flags.recavail", "Recursion available", Kind.FLAG, 0x0080);
  static final int DNS_FLAGS_RCODE = masked("dns.flags.rcode", "Reply code", Kind.UINT, 0x000f);
  static final int DNS_COUNT_QUERIES = spec("dns.count.queries", "Questions", Kind.UINT);
  static final int DNS_COUNT_ANSWERS = spec("dns.count.answers", "Answer RRs", Kind.UINT);
  static final int DNS_COUNT_AUTH = spec("dns.count.auth_rr", "Authority RRs", Kind.UINT);
  static final int DNS_COUNT_ADD = spec("dns.count.add_rr", "Additional RRs", Kind.UINT);
  static final int DNS_QRY = spec("dns.qry", "Query", Kind.BYTES);
  static final int DNS_QRY_NAME = spec("dns.qry.name", "Name", Kind.DNS_NAME);
  static final int DNS_QRY_TYPE = named("dns.qry.type", "Type", Kind.UINT, 0, FieldSpec::dnsTypeName);
  static final int DNS_QRY_CLASS = spec("dns.qry.class", "Class", Kind.HEX);
  static final int DNS_RESP = spec("dns.resp", "Resource record", Kind.BYTES);
  static final int DNS_RESP_NAME = spec("dns.resp.name", "Name", Kind.DNS_NAME);
  static final int DNS_RESP_TYPE = named("dns.resp.type", "Type", Kind.UINT, 0, FieldSpec::dnsTypeName);
  static final int DNS_RESP_CLASS = spec("dns.resp.class", "Class", Kind.HEX);
  static final int DNS_RESP_TTL = spec("dns.resp.ttl", "Time to live", Kind.UINT);
  static final int DNS_RESP_LEN = spec("dns.resp.len", "Data length", Kind.UINT);
  static final int DNS_A = spec("dns.a", "Address", Kind.IPV4);
  static final int DNS_AAAA = spec("dns.aaaa", "AAAA Address", Kind.IPV6);
  static final int DNS_CNAME = spec("dns.cname", "CNAME", Kind.DNS_NAME);
  static final int DNS_NS = spec("dns.ns", "Name Server", Kind.DNS_NAME);
  static final int DNS_PTR = spec("dns.ptr.domain_name", "Domain Name", Kind.DNS_NAME);
  static final int DNS_DATA = spec("dns.data", "Data", Kind.BYTES);

  static final int VXLAN_FLAGS = spec("vxlan.flags", "Flags", Kind.HEX);
  static final int VXLAN_FLAG_G = masked("vxlan.flag_g", "GBP Extension", Kind.FLAG, 0x8000);
  static final int VXLAN_FLAG_I = masked("vxlan.flag_i", "VXLAN Network ID (VNI)", Kind.FLAG, 0x0800);
  static final int VXLAN_FLAG_D = masked("vxlan.flag_d", "Don't Learn", Kind.FLAG, 0x0040);
  static final int VXLAN_FLAG_A = masked("vxlan.flag_a", "Policy Applied", Kind.FLAG, 0x0008);
  static final int VXLAN_FLAGS_RESERVED = masked("vxlan.flags_reserved", "Reserved(R)", Kind.HEX, 0x77b7);
  static final int VXLAN_GBP = spec("vxlan.gbp", "Group Policy ID", Kind.UINT);
  static final int VXLAN_VNI = spec("vxlan.vni", "VXLAN Network Identifier (VNI)", Kind.UINT);
  static final int VXLAN_RESERVED = spec("vxlan.reserved8", "Reserved", Kind.UINT);

  static final int TUNLAB_TYPE = named("tunlab.type", "Type", Kind.UINT, 0, v -> v == 2 ? "Data" : null);
  static final int TUNLAB_DIRECTION = named("tunlab.direction", "Direction", Kind.UINT, 0,
      v -> v == 0 ? "client to server" : v == 1 ? "server to client" : null);
  static final int TUNLAB_RESERVED = spec("tunlab.reserved", "Reserved", Kind.HEX);
  static final int TUNLAB_KEY_ID = spec("tunlab.key_id", "Key ID", Kind.HEX);
  static final int TUNLAB_SESSION = spec("tunlab.session", "Session", Kind.HEX);
  static final int TUNLAB_COUNTER = spec("tunlab.counter", "Counter", Kind.UINT);
  static final int TUNLAB_CIPHERTEXT = spec("tunlab.ciphertext", "Encrypted Packet", Kind.BYTES);
  static final int TUNLAB_TAG = spec("tunlab.tag", "Authentication Tag", Kind.BYTES);

  static final int WG_TYPE = named("wg.type", "Type", Kind.UINT, 0, FieldSpec::wireGuardTypeName);
  static final int WG_RESERVED = spec("wg.reserved", "Reserved", Kind.BYTES);
  // WireGuard's indices and counter are little-endian on the wire.
  static final int WG_SENDER = littleEndian("wg.sender", "Sender", Kind.HEX);
  static final int WG_RECEIVER = littleEndian("wg.receiver", "Receiver", Kind.HEX);
  static final int WG_EPHEMERAL = spec("wg.ephemeral", "Ephemeral", Kind.BYTES);
  static final int WG_ENCRYPTED_STATIC = spec("wg.encrypted_static", "Encrypted Static", Kind.BYTES);
  static final int WG_ENCRYPTED_TIMESTAMP = spec("wg.encrypted_timestamp", "Encrypted Timestamp", Kind.BYTES);
  static final int WG_ENCRYPTED_EMPTY = spec("wg.encrypted_empty", "Encrypted Empty", Kind.BYTES);
  static final int WG_MAC1 = spec("wg.mac1", "mac1", Kind.BYTES);
  static final int WG_MAC2 = spec("wg.mac2", "mac2", Kind.BYTES);
  static final int WG_NONCE = spec("wg.nonce", "Nonce", Kind.BYTES);
  static final int WG_ENCRYPTED_COOKIE = spec("wg.encrypted_cookie", "Encrypted Cookie", Kind.BYTES);
  static final int WG_COUNTER = littleEndian("wg.counter", "Counter", Kind.UINT);
  static final int WG_ENCRYPTED_PACKET = spec("wg.encrypted_packet", "Encrypted Packet", Kind.BYTES);

  private static final FieldSpec[] ALL = REGISTRY.toArray(FieldSpec[]::new);
  private static final Map<String, Integer> BY_NAME = byName();

  final int id;
  final String name;
  final String label;
  final Kind kind;
  /** The bits of the field's bytes that belong to it; 0 when all of them do. */
  final long mask;
  final int shift;
  final int multiplier;
  /** A name for a number, or null; applies to numeric kinds. */
  final IntFunction<String> names;
  final boolean littleEndian;

  private FieldSpec(int id, String name, String label, Kind kind, long mask, int multiplier,
      IntFunction<String> names, boolean littleEndian) {
    this.id = id;
    this.name = name;
    this.label = label;
    this.kind = kind;
    this.mask = mask;
    this.shift = mask == 0 ? 0 : Long.numberOfTrailingZeros(mask);
    this.multiplier = multiplier;
    this.names = names;
    this.littleEndian = littleEndian;
  }

  static FieldSpec of(int id) {
    return ALL[id];
  }

  /** The spec id for a Wireshark name, or -1. */
  static int idOf(String name) {
    Integer id = BY_NAME.get(name);
    return id == null ? -1 : id;
  }

  static int count() {
    return ALL.length;
  }

  private static int littleEndian(String name, String label, Kind kind) {
    int id = REGISTRY.size();
    REGISTRY.add(new FieldSpec(id, name, label, kind, 0, 1, null, true));
    return id;
  }

  private static int layer(String name, String label) {
    return register(name, label, Kind.BYTES, 0, 1, null);
  }

  private static int spec(String name, String label, Kind kind) {
    return register(name, label, kind, 0, 1, null);
  }

  private static int masked(String name, String label, Kind kind, long mask) {
    return register(name, label, kind, mask, 1, null);
  }

  private static int scaled(String name, String label, long mask, int multiplier) {
    return register(name, label, Kind.UINT, mask, multiplier, null);
  }

  private static int named(String name, String label, Kind kind, long mask, IntFunction<String> names) {
    return register(name, label, kind, mask, 1, names);
  }

  private static int register(String name, String label, Kind kind, long mask, int multiplier,
      IntFunction<String> names) {
    int id = REGISTRY.size();
    REGISTRY.add(new FieldSpec(id, name, label, kind, mask, multiplier, names, false));
    return id;
  }

  private static Map<String, Integer> byName() {
    Map<String, Integer> map = new HashMap<>();
    for (FieldSpec spec : ALL) {
      if (map.putIfAbsent(spec.name, spec.id) != null) {
        throw new IllegalStateException("field name registered twice: " + spec.name);
      }
    }
    return Map.copyOf(map);
  }

  private static IntFunction<String> ethertypes() {
    return v -> {
      EtherType type = EtherType.of(v);
      return type.isKnown() ? type.name() : null;
    };
  }

  private static String ipOptionName(int type) {
    switch (type & 0x1f) {
      case 0: return "End of Options List (EOL)";
      case 1: return "No Operation (NOP)";
      case 2: return "Security";
      case 3: return "Loose Source Route";
      case 4: return "Time Stamp";
      case 7: return "Record Route";
      case 9: return "Strict Source Route";
      case 20: return "Router Alert";
      default: return null;
    }
  }

  private static String ndOptionName(int type) {
    switch (type) {
      case 1: return "Source link-layer address";
      case 2: return "Target link-layer address";
      case 3: return "Prefix information";
      case 4: return "Redirected header";
      case 5: return "MTU";
      case 14: return "Nonce";
      case 25: return "Recursive DNS Server";
      case 31: return "DNS Search List";
      default: return null;
    }
  }

  private static String tcpOptionName(int kind) {
    switch (kind) {
      case 0: return "End of Option List";
      case 1: return "No-Operation (NOP)";
      case 2: return "Maximum Segment Size";
      case 3: return "Window Scale";
      case 4: return "SACK Permitted";
      case 5: return "SACK";
      case 8: return "Time Stamp Option";
      case 30: return "Multipath TCP";
      case 34: return "TCP Fast Open Cookie";
      default: return null;
    }
  }

  private static String dnsTypeName(int type) {
    switch (type) {
      case 1: return "A";
      case 2: return "NS";
      case 5: return "CNAME";
      case 6: return "SOA";
      case 12: return "PTR";
      case 15: return "MX";
      case 16: return "TXT";
      case 28: return "AAAA";
      case 33: return "SRV";
      case 41: return "OPT";
      case 65: return "HTTPS";
      case 255: return "ANY";
      default: return null;
    }
  }

  private static String wireGuardTypeName(int type) {
    switch (type) {
      case 1: return "Handshake Initiation";
      case 2: return "Handshake Response";
      case 3: return "Cookie Reply";
      case 4: return "Transport Data";
      default: return null;
    }
  }

  /** The value of this field in {@code data}; a DNS name reads its message {@code [message, messageEnd)}. */
  Object value(byte[] data, int at, int length, int message, int messageEnd) {
    switch (kind) {
      case UINT:
      case HEX:
      case FLAG:
        return number(data, at, length);
      case MAC:
        return Format.hex(data, at, length, ':');
      case IPV4:
        return length == 4 ? AddressText.ipv4(data, at) : Format.hex(data, at, length, ':');
      case IPV6:
        return length == 16 ? AddressText.ipv6(data, at) : Format.hex(data, at, length, ':');
      case DNS_NAME:
        return Format.dnsName(data, message, messageEnd, at);
      default:
        return Arrays.copyOfRange(data, at, at + length);
    }
  }

  /** A numeric field's value: the masked bits, shifted down, times the unit. */
  long number(byte[] data, int at, int length) {
    long raw = 0;
    for (int i = 0; i < Math.min(length, 8); i++) {
      raw = (raw << 8) | (data[at + (littleEndian ? length - 1 - i : i)] & 0xff);
    }
    if (mask != 0) {
      raw = (raw & mask) >>> shift;
    }
    return raw * multiplier;
  }

  /** The line a tree shows, e.g. {@code Type: IPv4 (0x0800)} or {@code .... 0101 = Header Length: 20}. */
  String text(byte[] data, int at, int length, int message, int messageEnd) {
    StringBuilder line = new StringBuilder(48);
    if (mask != 0 && length <= 4) {
      long raw = 0;
      for (int i = 0; i < length; i++) {
        raw = (raw << 8) | (data[at + i] & 0xff);
      }
      Format.bits(line, raw, mask, length * 8);
      line.append(" = ");
    }
    line.append(label).append(": ");
    switch (kind) {
      case UINT:
      case HEX:
        long number = number(data, at, length);
        String known = names == null ? null : names.apply((int) number);
        String digits = kind == Kind.HEX ? Format.hexNumber(number, hexDigits(length)) : Long.toString(number);
        if (known != null) {
          line.append(known).append(" (").append(digits).append(')');
        } else {
          line.append(digits);
        }
        break;
      case FLAG:
        line.append(number(data, at, length) != 0 ? "Set" : "Not set");
        break;
      case BYTES:
        line.append(Format.hex(data, at, Math.min(length, 64), (char) 0));
        if (length > 64) {
          line.append('…');
        }
        break;
      default:
        line.append(value(data, at, length, message, messageEnd));
    }
    return line.toString();
  }

  private int hexDigits(int length) {
    int bits = mask == 0 ? length * 8 : 64 - Long.numberOfLeadingZeros(mask >>> shift);
    return Math.max(2, (bits + 3) / 4);
  }
}
