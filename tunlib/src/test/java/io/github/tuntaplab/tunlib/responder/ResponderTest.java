package io.github.tuntaplab.tunlib.responder;

import io.github.tuntaplab.tunlib.packet.InternetChecksum;
import static io.github.tuntaplab.tunlib.responder.ResponderKernelRequestsTest.kernelRequestFrames;
import static io.github.tuntaplab.tunlib.responder.ResponderKernelRequestsTest.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.ArpPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.namednumber.ArpOperation;

/**
 * The responder's contract on the kernel's own requests, changed one field at a time the way a
 * broken or hostile sender would. Fields are found at their RFC offsets (Ethernet 14 bytes, then
 * the IPv4 header of these captures, 20 bytes without options, or the IPv6 header, 40 bytes).
 */
class ResponderTest {
  private static final int ETH = 14;
  private static final int IP4 = ETH;
  private static final int IP6 = ETH;
  private static final int ICMP4 = IP4 + 20;
  private static final int ICMP6 = IP6 + 40;

  private static byte[] first(Predicate<byte[]> kind) {
    return kernelRequestFrames().stream().filter(kind).findFirst().orElseThrow().clone();
  }

  private static int etherType(byte[] frame) {
    return (frame[12] & 0xff) << 8 | (frame[13] & 0xff);
  }

  private static byte[] arpRequest() {
    return first(f -> etherType(f) == 0x0806);
  }

  private static byte[] echoRequest() {
    return first(f -> etherType(f) == 0x0800 && (f[IP4] & 0xff) == 0x45 && f[ICMP4] == 8 && f[IP4 + 19] == 2);
  }

  private static byte[] echo6Request() {
    return first(f -> etherType(f) == 0x86dd && (f[ICMP6] & 0xff) == 128 && f[IP6 + 24] == 0x20);
  }

  private static boolean isSolicitation(byte[] f, int targetLastByte) {
    return etherType(f) == 0x86dd && (f[ICMP6] & 0xff) == 135 && f[ICMP6 + 23] == (byte) targetLastByte;
  }

  /** A solicitation for 2001:db8:19::2 from a unicast source. */
  private static byte[] solicitation() {
    return first(f -> isSolicitation(f, 0x02) && f[IP6 + 8] != 0);
  }

  /** Duplicate address detection for 2001:db8:19::99, from ::, with a nonce option. */
  private static byte[] solicitationFromUnspecified() {
    return first(f -> isSolicitation(f, 0x99) && f[IP6 + 8] == 0);
  }

  private static void fixIpv4HeaderChecksum(byte[] frame) {
    frame[IP4 + 10] = 0;
    frame[IP4 + 11] = 0;
    int sum = InternetChecksum.finish(InternetChecksum.add(0, ByteBuffer.wrap(frame), IP4, 20));
    frame[IP4 + 10] = (byte) (sum >>> 8);
    frame[IP4 + 11] = (byte) sum;
  }

  private static void fixIcmpv6Checksum(byte[] frame) {
    ByteBuffer buffer = ByteBuffer.wrap(frame);
    int length = buffer.getShort(IP6 + 4) & 0xffff;
    buffer.putShort(ICMP6 + 2, (short) 0);
    long sum = InternetChecksum.add(0, buffer, IP6 + 8, 32) + length + 58;
    buffer.putShort(ICMP6 + 2, (short) InternetChecksum.finish(InternetChecksum.add(sum, buffer, ICMP6, length)));
  }

  @Test
  void theFramesThisTestUsesAreAnsweredAsCaptured() {
    Responder responder = ReplyOracle.tapResponder();
    for (byte[] frame : List.of(arpRequest(), echoRequest(), echo6Request(), solicitation(),
        solicitationFromUnspecified())) {
      assertThat(reply(responder, frame)).isNotNull();
    }
  }

  @Test
  void touchesNeitherTheRequestNorAnyBufferStateNorBytesOutsideTheReply() {
    Responder responder = ReplyOracle.tapResponder();
    for (byte[] frame : kernelRequestFrames()) {
      ByteBuffer request = ByteBuffer.allocateDirect(frame.length + 9);
      request.position(5).put(frame).position(5).limit(5 + frame.length);
      ByteBuffer reply = ByteBuffer.allocate(frame.length + 64);
      Arrays.fill(reply.array(), (byte) 0xa5);
      reply.position(3).limit(reply.capacity() - 2);

      int length = responder.respond(request, reply);

      assertThat(request.position()).isEqualTo(5);
      assertThat(request.limit()).isEqualTo(5 + frame.length);
      byte[] after = new byte[frame.length];
      request.get(5, after);
      assertThat(after).isEqualTo(frame);
      assertThat(reply.position()).isEqualTo(3);
      assertThat(reply.limit()).isEqualTo(reply.capacity() - 2);
      byte[] bytes = reply.array();
      for (int i = 0; i < bytes.length; i++) {
        if (i < 3 || i >= 3 + length) {
          assertThat(bytes[i]).as("byte %d outside the %d-byte reply", i, length).isEqualTo((byte) 0xa5);
        }
      }
    }
  }

  @Test
  void theReplyIsTheSameWhateverTheBuffersKindOrByteOrder() {
    Responder responder = ReplyOracle.tapResponder();
    for (byte[] frame : kernelRequestFrames()) {
      byte[] expected = reply(responder, frame);
      ByteBuffer request = ByteBuffer.allocateDirect(frame.length).order(ByteOrder.LITTLE_ENDIAN);
      request.put(frame).flip();
      ByteBuffer reply = ByteBuffer.allocateDirect(frame.length + 64).order(ByteOrder.LITTLE_ENDIAN);
      int length = responder.respond(request.asReadOnlyBuffer(), reply);
      byte[] actual = length == 0 ? null : new byte[length];
      if (actual != null) {
        reply.get(0, actual);
      }
      assertThat(actual).isEqualTo(expected);
    }
  }

  @Test
  void staysSilentForAnotherHostsAddresses() throws Exception {
    // Without a link-local address, it does not answer all-nodes echo either.
    Responder other = Responder.forTap(ReplyOracle.MAC_BYTES, List.of(
        InetAddress.getByName("198.19.0.3"), InetAddress.getByName("2001:db8:19::3")));
    for (byte[] frame : kernelRequestFrames()) {
      assertThat(reply(other, frame)).isNull();
    }
    assertThat(other.stats().total()).isZero();
  }

  @Test
  void staysSilentForFramesSentToAnotherUnicastMac() {
    Responder responder = ReplyOracle.tapResponder();
    for (byte[] frame : List.of(echoRequest(), echo6Request(), arpRequest())) {
      System.arraycopy(new byte[] {0x00, 0x00, 0x5e, 0x00, 0x53, 0x03}, 0, frame, 0, 6);
      assertThat(reply(responder, frame)).isNull();
    }
  }

  @Test
  void dropsIpv4TheKernelWouldDrop() {
    Responder responder = ReplyOracle.tapResponder();
    byte[] badHeaderChecksum = echoRequest();
    badHeaderChecksum[IP4 + 8]--; // TTL, without fixing the header checksum
    byte[] badIcmpChecksum = echoRequest();
    badIcmpChecksum[badIcmpChecksum.length - 1] ^= 1;
    byte[] moreFragments = echoRequest();
    moreFragments[IP4 + 6] |= 0x20;
    fixIpv4HeaderChecksum(moreFragments);
    byte[] laterFragment = echoRequest();
    laterFragment[IP4 + 7] = 1;
    fixIpv4HeaderChecksum(laterFragment);
    byte[] fromMulticast = echoRequest();
    fromMulticast[IP4 + 12] = (byte) 224;
    fixIpv4HeaderChecksum(fromMulticast);
    byte[] fromZero = echoRequest();
    Arrays.fill(fromZero, IP4 + 12, IP4 + 16, (byte) 0);
    fixIpv4HeaderChecksum(fromZero);
    byte[] truncated = Arrays.copyOf(echoRequest(), echoRequest().length - 1);
    byte[] echoReply = echoRequest();
    echoReply[ICMP4] = 0;
    echoReply[ICMP4 + 2] += 8; // keeps the ICMP checksum right: type 8 became 0

    assertThat(reply(responder, echoReply)).as("echo reply").isNull();
    for (byte[] frame : List.of(badHeaderChecksum, badIcmpChecksum, moreFragments, laterFragment, fromMulticast,
        fromZero, truncated)) {
      assertThat(reply(responder, frame)).isNull();
    }
    assertThat(responder.stats().total()).isZero();
  }

  @Test
  void aPaddedFrameIsAnsweredByItsIpLengthNotItsFrameLength() {
    byte[] padded = Arrays.copyOf(echoRequest(), echoRequest().length + 20);
    assertThat(reply(ReplyOracle.tapResponder(), padded)).isEqualTo(reply(ReplyOracle.tapResponder(), echoRequest()));
  }

  @Test
  void dropsIpv6TheKernelWouldDrop() {
    Responder responder = ReplyOracle.tapResponder();
    byte[] badChecksum = echo6Request();
    badChecksum[badChecksum.length - 1] ^= 1;
    byte[] relayedSolicitation = solicitation();
    relayedSolicitation[IP6 + 7] = (byte) 254; // hop limit: not covered by the checksum
    byte[] zeroLengthOption = solicitation();
    zeroLengthOption[ICMP6 + 25] = 0;
    fixIcmpv6Checksum(zeroLengthOption);
    byte[] probeWithSourceAddressOption = solicitationFromUnspecified();
    probeWithSourceAddressOption[ICMP6 + 24] = 1; // the nonce option becomes a source link-layer address
    fixIcmpv6Checksum(probeWithSourceAddressOption);
    byte[] echoFromUnspecified = echo6Request();
    Arrays.fill(echoFromUnspecified, IP6 + 8, IP6 + 24, (byte) 0);
    fixIcmpv6Checksum(echoFromUnspecified);
    byte[] extensionHeader = echo6Request();
    extensionHeader[IP6 + 6] = 0; // hop-by-hop options: not followed

    for (byte[] frame : List.of(badChecksum, relayedSolicitation, zeroLengthOption, probeWithSourceAddressOption,
        echoFromUnspecified, extensionHeader)) {
      assertThat(reply(responder, frame)).isNull();
    }
    assertThat(responder.stats().total()).isZero();
  }

  @Test
  void anArpProbeFromZeroIsAnsweredToZeroSoTheProberSeesTheConflict() {
    byte[] probe = arpRequest();
    Arrays.fill(probe, ETH + 14, ETH + 18, (byte) 0); // sender protocol address 0.0.0.0 (RFC 5227)
    byte[] reply = reply(ReplyOracle.tapResponder(), probe);
    ArpPacket.ArpHeader arp = decodeArp(reply);
    assertThat(arp.getOperation()).isEqualTo(ArpOperation.REPLY);
    assertThat(arp.getSrcProtocolAddr().getHostAddress()).isEqualTo("198.19.0.2");
    assertThat(arp.getDstProtocolAddr().getHostAddress()).isEqualTo("0.0.0.0");
    assertThat(arp.getDstHardwareAddr().getAddress()).isEqualTo(Arrays.copyOfRange(probe, ETH + 8, ETH + 14));
  }

  private static ArpPacket.ArpHeader decodeArp(byte[] frame) {
    try {
      return EthernetPacket.newPacket(frame, 0, frame.length).get(ArpPacket.class).getHeader();
    } catch (org.pcap4j.packet.IllegalRawDataException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void behindATunNeitherArpNorNeighbourDiscoveryIsAnswered() {
    Responder tun = ReplyOracle.tunResponder();
    assertThat(reply(tun, Arrays.copyOfRange(arpRequest(), ETH, ETH + 28))).isNull();
    assertThat(reply(tun, Arrays.copyOfRange(solicitation(), ETH, solicitation().length))).isNull();
    assertThat(reply(tun, Arrays.copyOfRange(echoRequest(), ETH, echoRequest().length))).isNotNull();
  }

  @Test
  void aReplyBufferTooSmallIsRefusedBeforeAnythingIsWritten() {
    Responder responder = ReplyOracle.tapResponder();
    for (byte[] frame : List.of(arpRequest(), echoRequest(), echo6Request(), solicitation())) {
      int needed = reply(responder, frame).length;
      ByteBuffer small = ByteBuffer.allocate(needed + 10);
      small.position(11);
      assertThatThrownBy(() -> responder.respond(ByteBuffer.wrap(frame), small))
          .isInstanceOf(BufferOverflowException.class);
      assertThat(small.array()).containsOnly(0);
      assertThat(responder.respond(ByteBuffer.wrap(frame), small.position(10))).isEqualTo(needed);
    }
    assertThatThrownBy(() -> responder.respond(ByteBuffer.wrap(arpRequest()), ByteBuffer.allocate(64).asReadOnlyBuffer()))
        .isInstanceOf(ReadOnlyBufferException.class);
  }

  @Test
  void countsEveryReplyWhenManyThreadsShareOneResponder() throws Exception {
    Responder responder = ReplyOracle.tapResponder();
    byte[] arp = arpRequest();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(threads.submit(() -> {
          ByteBuffer request = ByteBuffer.wrap(arp);
          ByteBuffer reply = ByteBuffer.allocate(64);
          for (int i = 0; i < 10_000; i++) {
            assertThat(responder.respond(request, reply)).isEqualTo(42);
          }
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdown();
    }
    assertThat(responder.stats()).isEqualTo(new Stats(40_000, 0, 0, 0));
  }

  @Test
  void answersWithoutAllocating() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    List<byte[]> frames = kernelRequestFrames();
    ByteBuffer[] requests = new ByteBuffer[frames.size()];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = ByteBuffer.allocateDirect(frames.get(i).length).put(frames.get(i)).flip();
    }
    ByteBuffer reply = ByteBuffer.allocateDirect(2048);
    Responder responder = ReplyOracle.tapResponder();
    long replies = answerAll(responder, requests, reply, 3000); // warm up
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    replies += answerAll(responder, requests, reply, 3000);
    long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    assertThat(replies).isGreaterThan(100_000);
    assertThat(allocated).as("bytes allocated for %d requests", 3000L * requests.length).isLessThan(16 * 1024);
  }

  private static long answerAll(Responder responder, ByteBuffer[] requests, ByteBuffer reply, int rounds) {
    long answered = 0;
    for (int round = 0; round < rounds; round++) {
      for (ByteBuffer request : requests) {
        if (responder.respond(request, reply) > 0) {
          answered++;
        }
      }
    }
    return answered;
  }

  @Test
  void refusesAnIdentityNoHostCouldHave() throws Exception {
    List<InetAddress> one = List.of(InetAddress.getByName("198.19.0.2"));
    assertThatThrownBy(() -> Responder.forTap(new byte[5], one)).hasMessageContaining("6 bytes");
    assertThatThrownBy(() -> Responder.forTap(new byte[] {0x33, 0x33, 0, 0, 0, 1}, one))
        .hasMessageContaining("unicast").hasMessageContaining("33:33:00:00:00:01");
    assertThatThrownBy(() -> Responder.forTun(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Responder.forTun(List.of(InetAddress.getByName("ff02::1"))))
        .hasMessageContaining("ff02:0:0:0:0:0:0:1");
    assertThatThrownBy(() -> Responder.forTun(List.of(InetAddress.getByName("0.0.0.0"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void copiesTheMacItIsGiven() throws Exception {
    byte[] mac = ReplyOracle.MAC_BYTES.clone();
    Responder responder = Responder.forTap(mac, List.of(InetAddress.getByName("198.19.0.2")));
    mac[5] = 0x77;
    assertThat(responder.toString()).isEqualTo("Responder[tap 00:00:5e:00:53:02 198.19.0.2]");
    assertThat(Arrays.copyOfRange(reply(responder, arpRequest()), 6, 12)).isEqualTo(ReplyOracle.MAC_BYTES);
  }
}
