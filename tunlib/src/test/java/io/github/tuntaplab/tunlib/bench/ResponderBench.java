package io.github.tuntaplab.tunlib.bench;

import io.github.tuntaplab.tunlib.responder.Responder;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.pcap4j.packet.ArpPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IcmpV4CommonPacket;
import org.pcap4j.packet.IcmpV4EchoPacket;
import org.pcap4j.packet.IcmpV4EchoReplyPacket;
import org.pcap4j.packet.IcmpV6CommonPacket;
import org.pcap4j.packet.IcmpV6EchoReplyPacket;
import org.pcap4j.packet.IcmpV6EchoRequestPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.UnknownPacket;
import org.pcap4j.packet.namednumber.ArpOperation;
import org.pcap4j.packet.namednumber.IcmpV4Code;
import org.pcap4j.packet.namednumber.IcmpV4Type;
import org.pcap4j.packet.namednumber.IcmpV6Code;
import org.pcap4j.packet.namednumber.IcmpV6Type;
import org.pcap4j.util.MacAddress;

/**
 * Replies per second for the kernel's own requests (ARP, 64-byte ICMP and ICMPv6 echo, 1400-byte
 * echo), the responder beside its peer: the same replies decoded and built with Pcap4J's packets
 * and builders, the usual way in Java. One thread, 1 s warm-up, 2 s measured per row.
 *
 * <pre>mvn -pl tunlib -q exec:java -Dexec.classpathScope=test
 *     -Dexec.mainClass=io.github.tuntaplab.tunlib.bench.ResponderBench</pre>
 */
public final class ResponderBench {
  private static final byte[] MAC = {0x00, 0x00, 0x5e, 0x00, 0x53, 0x02};
  private static volatile int sink;

  private ResponderBench() {}

  public static void main(String[] args) throws Exception {
    List<byte[]> frames = CaptureFiles.frames(Path.of(
        ResponderBench.class.getResource("/io/github/tuntaplab/tunlib/responder/kernel-requests.pcap").toURI()));
    Responder responder = Responder.forTap(MAC, List.of(
        InetAddress.getByName("198.19.0.2"), InetAddress.getByName("2001:db8:19::2")));
    ByteBuffer reply = ByteBuffer.allocateDirect(65_536);

    System.out.printf("%-22s %16s %16s %8s%n", "request", "responder/s", "Pcap4J/s", "ratio");
    row("ARP request", frames, f -> etherType(f) == 0x0806, responder, reply, ResponderBench::pcap4jArp);
    row("ICMP echo, 84 B", frames, f -> etherType(f) == 0x0800 && f.length == 98 && f[33] == 2, responder, reply,
        ResponderBench::pcap4jEcho);
    row("ICMP echo, 1428 B", frames, f -> etherType(f) == 0x0800 && f.length > 1000, responder, reply,
        ResponderBench::pcap4jEcho);
    row("ICMPv6 echo, 104 B", frames, f -> etherType(f) == 0x86dd && f.length == 118 && f[38] == 0x20,
        responder, reply, ResponderBench::pcap4jEcho6);
  }

  private static void row(String name, List<byte[]> frames, Predicate<byte[]> kind, Responder responder,
      ByteBuffer reply, ToIntFunction<byte[]> peer) {
    byte[] frame = frames.stream().filter(kind).findFirst().orElseThrow();
    ByteBuffer request = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
    if (responder.respond(request, reply) == 0 || peer.applyAsInt(frame) == 0) {
      throw new IllegalStateException(name + ": not answered");
    }
    double ours = perSecond(() -> sink += responder.respond(request, reply));
    double theirs = perSecond(() -> sink += peer.applyAsInt(frame));
    System.out.printf("%-22s %,16.0f %,16.0f %7.1fx%n", name, ours, theirs, ours / theirs);
  }

  private static double perSecond(Runnable once) {
    runFor(1_000_000_000L, once);
    long start = System.nanoTime();
    long count = runFor(2_000_000_000L, once);
    return count * 1e9 / (System.nanoTime() - start);
  }

  private static long runFor(long nanos, Runnable once) {
    long end = System.nanoTime() + nanos;
    long count = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 1000; i++) {
        once.run();
      }
      count += 1000;
    }
    return count;
  }

  private static int etherType(byte[] frame) {
    return (frame[12] & 0xff) << 8 | (frame[13] & 0xff);
  }

  private static int pcap4jArp(byte[] frame) {
    try {
      EthernetPacket ethernet = EthernetPacket.newPacket(frame, 0, frame.length);
      ArpPacket.ArpHeader arp = ethernet.get(ArpPacket.class).getHeader();
      ArpPacket.Builder reply = new ArpPacket.Builder()
          .hardwareType(arp.getHardwareType()).protocolType(arp.getProtocolType())
          .hardwareAddrLength(arp.getHardwareAddrLength()).protocolAddrLength(arp.getProtocolAddrLength())
          .operation(ArpOperation.REPLY)
          .srcHardwareAddr(MacAddress.getByAddress(MAC)).srcProtocolAddr(arp.getDstProtocolAddr())
          .dstHardwareAddr(arp.getSrcHardwareAddr()).dstProtocolAddr(arp.getSrcProtocolAddr());
      return ethernetAround(ethernet, reply).getRawData().length;
    } catch (IllegalRawDataException e) {
      return 0;
    }
  }

  private static int pcap4jEcho(byte[] frame) {
    try {
      EthernetPacket ethernet = EthernetPacket.newPacket(frame, 0, frame.length);
      IpV4Packet ip = ethernet.get(IpV4Packet.class);
      IcmpV4CommonPacket icmp = ethernet.get(IcmpV4CommonPacket.class);
      if (!ip.getHeader().hasValidChecksum(false) || !icmp.hasValidChecksum(false)) {
        return 0;
      }
      IcmpV4EchoPacket.IcmpV4EchoHeader echo = ethernet.get(IcmpV4EchoPacket.class).getHeader();
      IcmpV4EchoReplyPacket.Builder echoReply = new IcmpV4EchoReplyPacket.Builder()
          .identifier(echo.getIdentifier()).sequenceNumber(echo.getSequenceNumber())
          .payloadBuilder(new UnknownPacket.Builder().rawData(
              ethernet.get(IcmpV4EchoPacket.class).getPayload().getRawData()));
      IcmpV4CommonPacket.Builder icmpReply = new IcmpV4CommonPacket.Builder()
          .type(IcmpV4Type.ECHO_REPLY).code(IcmpV4Code.NO_CODE).payloadBuilder(echoReply)
          .correctChecksumAtBuild(true);
      IpV4Packet.Builder ipReply = new IpV4Packet.Builder(ip)
          .srcAddr(ip.getHeader().getDstAddr()).dstAddr(ip.getHeader().getSrcAddr()).ttl((byte) 64)
          .payloadBuilder(icmpReply).correctChecksumAtBuild(true).correctLengthAtBuild(true);
      return ethernetAround(ethernet, ipReply).getRawData().length;
    } catch (IllegalRawDataException e) {
      return 0;
    }
  }

  private static int pcap4jEcho6(byte[] frame) {
    try {
      EthernetPacket ethernet = EthernetPacket.newPacket(frame, 0, frame.length);
      IpV6Packet ip = ethernet.get(IpV6Packet.class);
      Inet6Address source = ip.getHeader().getSrcAddr();
      Inet6Address destination = ip.getHeader().getDstAddr();
      if (!ethernet.get(IcmpV6CommonPacket.class).hasValidChecksum(source, destination, false)) {
        return 0;
      }
      IcmpV6EchoRequestPacket request = ethernet.get(IcmpV6EchoRequestPacket.class);
      IcmpV6EchoReplyPacket.Builder echoReply = new IcmpV6EchoReplyPacket.Builder()
          .identifier(request.getHeader().getIdentifier()).sequenceNumber(request.getHeader().getSequenceNumber())
          .payloadBuilder(new UnknownPacket.Builder().rawData(request.getPayload().getRawData()));
      IcmpV6CommonPacket.Builder icmpReply = new IcmpV6CommonPacket.Builder()
          .type(IcmpV6Type.ECHO_REPLY).code(IcmpV6Code.NO_CODE).srcAddr(destination).dstAddr(source)
          .payloadBuilder(echoReply).correctChecksumAtBuild(true);
      IpV6Packet.Builder ipReply = new IpV6Packet.Builder(ip)
          .srcAddr(destination).dstAddr(source).hopLimit((byte) 64)
          .payloadBuilder(icmpReply).correctLengthAtBuild(true);
      return ethernetAround(ethernet, ipReply).getRawData().length;
    } catch (IllegalRawDataException e) {
      return 0;
    }
  }

  private static EthernetPacket ethernetAround(EthernetPacket request, org.pcap4j.packet.Packet.Builder payload) {
    return new EthernetPacket.Builder()
        .dstAddr(request.getHeader().getSrcAddr()).srcAddr(MacAddress.getByAddress(MAC))
        .type(request.getHeader().getType()).payloadBuilder(payload).pad(new byte[0]).paddingAtBuild(false).build();
  }
}
