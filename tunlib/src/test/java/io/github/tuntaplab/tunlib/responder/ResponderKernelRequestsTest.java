package io.github.tuntaplab.tunlib.responder;

import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
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
    return CaptureFiles.frames(kernelRequests());
  }

  /** The responder's reply to {@code request}, or null when it stays silent. */
  static byte[] reply(Responder responder, byte[] request) {
    ByteBuffer reply = ByteBuffer.allocate(request.length + 64);
    int length = responder.respond(ByteBuffer.wrap(request), reply);
    return length == 0 ? null : Arrays.copyOf(reply.array(), length);
  }

  /**
   * Answers each request of {@code capture} and checks, in tshark's reading, that exactly those
   * that deserve an answer got one and that every answer is right.
   */
  private Stats answerAndJudge(Responder responder, Path capture, LinkType linkType) {
    List<byte[]> requests = CaptureFiles.frames(capture);
    List<Boolean> deserved = ReplyOracle.deservesAnswer(capture, linkType.equals(LinkType.ETHERNET));
    assertThat(deserved).hasSameSizeAs(requests);
    List<byte[]> answered = new ArrayList<>();
    List<byte[]> replies = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      byte[] reply = reply(responder, requests.get(i));
      assertThat(reply != null).as("answered frame %d", i + 1).isEqualTo(deserved.get(i));
      if (reply != null) {
        answered.add(requests.get(i));
        replies.add(reply);
      }
    }
    ReplyOracle.assertRepliesAnswer(dir, linkType, answered, replies);
    assertThat(responder.stats().total()).isEqualTo(replies.size());
    return responder.stats();
  }

  @Test
  void onATapAnswersExactlyWhatAHostOwningItsAddressesAnswers() {
    Stats stats = answerAndJudge(ReplyOracle.tapResponder(), kernelRequests(), LinkType.ETHERNET);
    // The capture holds every kind, several times (broadcast and unicast ARP, multicast, unicast and
    // DAD solicitations, echo with IPv4 options, large and all-nodes echo): all answered, and counted.
    assertThat(stats.arpReplies()).isGreaterThanOrEqualTo(3);
    assertThat(stats.icmpEchoReplies()).isGreaterThanOrEqualTo(3);
    assertThat(stats.icmpv6EchoReplies()).isGreaterThanOrEqualTo(3);
    assertThat(stats.neighborAdvertisements()).isGreaterThanOrEqualTo(3);
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
    CaptureFiles.write(raw, LinkType.RAW, packets);
    Stats stats = answerAndJudge(ReplyOracle.tunResponder(), raw, LinkType.RAW);
    assertThat(stats.arpReplies()).isZero();
    assertThat(stats.neighborAdvertisements()).as("a TUN has no link layer to resolve").isZero();
    assertThat(stats.icmpEchoReplies()).isGreaterThanOrEqualTo(3);
    assertThat(stats.icmpv6EchoReplies()).isGreaterThanOrEqualTo(3);
  }
}
