package io.github.tuntaplab.tunlib.responder;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds the responder the requests the kernel really sent (kernel-requests.pcap, made by
 * capture-kernel-requests.sh beside it) and lets tshark judge which deserved an answer and
 * whether each answer is right. The live twin, {@link ResponderLiveTest}, lets the kernel judge.
 */
class ResponderKernelRequestsTest {
  @TempDir
  Path dir;

  static Path kernelRequests() {
    try {
      return Path.of(ResponderKernelRequestsTest.class.getResource("kernel-requests.pcap").toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  static List<byte[]> kernelRequestFrames() {
    return TestPcap.readAll(kernelRequests());
  }

  /** The responder's reply to {@code request}, or null when it stays silent. */
  static byte[] reply(Responder responder, byte[] request) {
    ByteBuffer reply = ByteBuffer.allocate(request.length + 64);
    int length = responder.respond(ByteBuffer.wrap(request), reply);
    return length == 0 ? null : Arrays.copyOf(reply.array(), length);
  }

  @Test
  void onATapAnswersExactlyWhatAHostOwningItsAddressesAnswers() {
    List<byte[]> frames = kernelRequestFrames();
    List<Boolean> deserved = ReplyOracle.deservesAnswer(kernelRequests(), true);
    assertThat(deserved).hasSameSizeAs(frames);
    Responder responder = ReplyOracle.tapResponder();

    List<byte[]> answered = new ArrayList<>();
    List<byte[]> replies = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      byte[] reply = reply(responder, frames.get(i));
      assertThat(reply != null).as("answered frame %d", i + 1).isEqualTo(deserved.get(i));
      if (reply != null) {
        answered.add(frames.get(i));
        replies.add(reply);
      }
    }
    ReplyOracle.assertRepliesAnswer(dir, TestPcap.LINKTYPE_ETHERNET, answered, replies);

    // The capture holds every kind, several times (broadcast and unicast ARP, multicast, unicast and
    // DAD solicitations, echo with IPv4 options, jumbo-ish and all-nodes echo): all answered, and counted.
    Stats stats = responder.stats();
    assertThat(stats.arpReplies()).isGreaterThanOrEqualTo(3);
    assertThat(stats.icmpEchoReplies()).isGreaterThanOrEqualTo(3);
    assertThat(stats.icmpv6EchoReplies()).isGreaterThanOrEqualTo(3);
    assertThat(stats.neighborAdvertisements()).isGreaterThanOrEqualTo(3);
    assertThat(stats.total()).isEqualTo(replies.size());
  }

  @Test
  void onATunAnswersTheSameIpPacketsWithoutTheirEthernetHeader() {
    List<byte[]> packets = new ArrayList<>();
    for (byte[] frame : kernelRequestFrames()) {
      int etherType = (frame[12] & 0xff) << 8 | (frame[13] & 0xff);
      if (etherType == 0x0800 || etherType == 0x86dd) {
        packets.add(Arrays.copyOfRange(frame, 14, frame.length));
      }
    }
    Path raw = dir.resolve("requests-raw.pcap");
    TestPcap.write(raw, TestPcap.LINKTYPE_RAW, packets);
    List<Boolean> deserved = ReplyOracle.deservesAnswer(raw, false);
    Responder responder = ReplyOracle.tunResponder();

    List<byte[]> answered = new ArrayList<>();
    List<byte[]> replies = new ArrayList<>();
    for (int i = 0; i < packets.size(); i++) {
      byte[] reply = reply(responder, packets.get(i));
      assertThat(reply != null).as("answered packet %d", i + 1).isEqualTo(deserved.get(i));
      if (reply != null) {
        answered.add(packets.get(i));
        replies.add(reply);
      }
    }
    ReplyOracle.assertRepliesAnswer(dir, TestPcap.LINKTYPE_RAW, answered, replies);
    Stats stats = responder.stats();
    assertThat(stats.arpReplies()).isZero();
    assertThat(stats.neighborAdvertisements()).as("a TUN has no link layer to resolve").isZero();
    assertThat(stats.icmpEchoReplies()).isGreaterThanOrEqualTo(3);
    assertThat(stats.icmpv6EchoReplies()).isGreaterThanOrEqualTo(3);
  }
}
