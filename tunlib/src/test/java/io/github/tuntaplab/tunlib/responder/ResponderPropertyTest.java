package io.github.tuntaplab.tunlib.responder;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.pcap4j.packet.ArpPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IcmpV4CommonPacket;
import org.pcap4j.packet.IcmpV6CommonPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.namednumber.ArpOperation;
import org.pcap4j.packet.namednumber.IcmpV4Type;
import org.pcap4j.packet.namednumber.IcmpV6Type;

/**
 * The kernel's requests, randomly damaged (bytes flipped, mostly in the headers; cut short;
 * extended), never make the responder throw or write outside its reply, and whatever it still
 * answers is well-formed in Pcap4J's independent reading: checksums valid, from one of its own
 * addresses, of an answering kind.
 */
class ResponderPropertyTest {
  private static final List<byte[]> FRAMES = ResponderKernelRequestsTest.kernelRequestFrames();
  private static final List<InetAddress> OWN = ReplyOracle.addresses();
  private static final Responder TAP = ReplyOracle.tapResponder();
  private static final Responder TUN = ReplyOracle.tunResponder();
  private static final byte CANARY = 0x5a;
  private static final int ROOM = 1600;

  record Flip(int at, int xor) {}

  @Provide
  Arbitrary<byte[]> damagedRequests() {
    Arbitrary<Integer> where = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(0, 90)),
        Tuple.of(1, Arbitraries.integers().between(0, 1500)));
    Arbitrary<List<Flip>> flips = Combinators.combine(where, Arbitraries.integers().between(1, 255))
        .as(Flip::new).list().ofMaxSize(3);
    Arbitrary<Integer> cut = Arbitraries.integers().between(0, 1500).injectNull(0.8);
    Arbitrary<byte[]> tail = Arbitraries.bytes().array(byte[].class).ofMaxSize(16).injectDuplicates(0.5);
    return Combinators.combine(Arbitraries.of(FRAMES), flips, cut, tail).as((frame, flipList, cutAt, extra) -> {
      byte[] damaged = frame.clone();
      for (Flip flip : flipList) {
        damaged[flip.at() % damaged.length] ^= (byte) flip.xor();
      }
      if (cutAt != null && cutAt < damaged.length) {
        damaged = Arrays.copyOf(damaged, cutAt);
      }
      byte[] grown = Arrays.copyOf(damaged, damaged.length + extra.length);
      System.arraycopy(extra, 0, grown, damaged.length, extra.length);
      return grown;
    });
  }

  @Property(tries = 2000)
  void damagedRequestsGetNothingOrAWellFormedReply(@ForAll("damagedRequests") byte[] frame, @ForAll boolean tap) {
    byte[] request = tap ? frame : Arrays.copyOfRange(frame, Math.min(14, frame.length), frame.length);
    assertRespondsSafely(tap ? TAP : TUN, request, tap);
    // Damage spares many requests: the property must have judged real replies, not only silence.
    Statistics.label(tap ? "tap" : "tun").coverage(check -> check.check("answered").percentage(p -> p > 2));
  }

  @Property(tries = 1000)
  void randomBytesNeverBreakIt(@ForAll byte[] junk, @ForAll boolean tap) {
    assertRespondsSafely(tap ? TAP : TUN, junk, tap);
  }

  private static void assertRespondsSafely(Responder responder, byte[] request, boolean tap) {
    byte[] before = request.clone();
    byte[] backing = new byte[ROOM + 32];
    Arrays.fill(backing, CANARY);
    ByteBuffer reply = ByteBuffer.wrap(backing, 16, ROOM).slice().position(3);

    int length = responder.respond(ByteBuffer.wrap(request), reply);

    assertThat(request).isEqualTo(before);
    assertThat(length).isBetween(0, ROOM - 3);
    int touchedOutside = -1;
    for (int i = 0; i < backing.length && touchedOutside < 0; i++) {
      if ((i < 19 || i >= 19 + length) && backing[i] != CANARY) {
        touchedOutside = i;
      }
    }
    assertThat(touchedOutside).as("first byte written outside the reply").isEqualTo(-1);
    Statistics.label(tap ? "tap" : "tun").collect(length > 0 ? "answered" : "silent");
    if (length > 0) {
      assertWellFormed(Arrays.copyOfRange(backing, 19, 19 + length), tap);
    }
  }

  private static void assertWellFormed(byte[] reply, boolean tap) {
    Packet packet = decode(reply, tap);
    if (tap) {
      EthernetPacket ethernet = packet.get(EthernetPacket.class);
      assertThat(ethernet.getHeader().getSrcAddr().getAddress()).isEqualTo(ReplyOracle.MAC_BYTES);
    }
    ArpPacket arp = packet.get(ArpPacket.class);
    IpV4Packet ipv4 = packet.get(IpV4Packet.class);
    IpV6Packet ipv6 = packet.get(IpV6Packet.class);
    if (arp != null) {
      assertThat(tap).isTrue();
      assertThat(reply).hasSize(42);
      assertThat(arp.getHeader().getOperation()).isEqualTo(ArpOperation.REPLY);
      assertThat(arp.getHeader().getSrcHardwareAddr().getAddress()).isEqualTo(ReplyOracle.MAC_BYTES);
      assertThat(OWN).contains(arp.getHeader().getSrcProtocolAddr());
    } else if (ipv4 != null) {
      assertThat(ipv4.getHeader().hasValidChecksum(false)).isTrue();
      assertThat(ipv4.getHeader().getTotalLengthAsInt()).isEqualTo(reply.length - (tap ? 14 : 0));
      assertThat(OWN).contains(ipv4.getHeader().getSrcAddr());
      IcmpV4CommonPacket icmp = packet.get(IcmpV4CommonPacket.class);
      assertThat(icmp.hasValidChecksum(false)).isTrue();
      assertThat(icmp.getHeader().getType()).isEqualTo(IcmpV4Type.ECHO_REPLY);
    } else {
      assertThat(ipv6).isNotNull();
      assertThat(ipv6.getHeader().getPayloadLengthAsInt()).isEqualTo(reply.length - 40 - (tap ? 14 : 0));
      assertThat(OWN).contains(ipv6.getHeader().getSrcAddr());
      IcmpV6CommonPacket icmp = packet.get(IcmpV6CommonPacket.class);
      assertThat(icmp.hasValidChecksum(ipv6.getHeader().getSrcAddr(), ipv6.getHeader().getDstAddr(), false)).isTrue();
      IcmpV6Type type = icmp.getHeader().getType();
      assertThat(type).isIn(IcmpV6Type.ECHO_REPLY, IcmpV6Type.NEIGHBOR_ADVERTISEMENT);
      assertThat(ipv6.getHeader().getHopLimitAsInt()).isEqualTo(type == IcmpV6Type.ECHO_REPLY ? 64 : 255);
    }
  }

  private static Packet decode(byte[] reply, boolean tap) {
    try {
      if (tap) {
        return EthernetPacket.newPacket(reply, 0, reply.length);
      }
      return (reply[0] & 0xf0) == 0x40 ? IpV4Packet.newPacket(reply, 0, reply.length)
          : IpV6Packet.newPacket(reply, 0, reply.length);
    } catch (IllegalRawDataException e) {
      throw new AssertionError("Pcap4J cannot decode the reply", e);
    }
  }
}
