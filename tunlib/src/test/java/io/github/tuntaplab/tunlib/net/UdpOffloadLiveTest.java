package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * UDP segmentation offload out and receive offload in, over a namespace's loopback: a run of
 * datagrams sent as one arrives joined in one slot (with its datagram size) for a socket that asks
 * for it, and one datagram per slot for one that does not; either way the datagrams are the same.
 */
@LiveTest
class UdpOffloadLiveTest {
  private static final int SIZE = 1000;

  @Test
  void aSegmentedRunArrivesJoinedOnlyWhereAskedAndSplitsIntoTheSameDatagrams() throws Exception {
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      byte[] datagram = new byte[i == 9 ? 300 : SIZE];
      Arrays.fill(datagram, (byte) i);
      sent.add(datagram);
    }
    try (TestNamespace ns = TestNamespace.create()) {
      ns.ip("link", "set", "lo", "up");
      for (boolean joined : new boolean[] {true, false}) {
        List<Integer> segmentSizes = new ArrayList<>();
        List<byte[]> received = ns.inside().call(() -> {
          try (UdpSocket receiver = UdpSocket.open(AddressFamily.INET);
              UdpSocket sender = UdpSocket.open(AddressFamily.INET);
              DatagramBatch out = new DatagramBatch(16, 2048);
              DatagramBatch in = new DatagramBatch(16, 65536)) {
            receiver.bind(new InetSocketAddress("127.0.0.1", 0));
            assertThat(!joined || receiver.receiveJoined()).as("UDP_GRO (Linux 5.0+)").isTrue();
            for (int i = 0; i < sent.size(); i++) {
              out.buffer().put(out.offset(i), sent.get(i));
              out.setLength(i, sent.get(i).length);
            }
            assertThat(sender.sendSegmented(out, sent.size(), receiver.localAddress(), 1472)).isEqualTo(sent.size());
            List<byte[]> datagrams = new ArrayList<>();
            while (datagrams.size() < sent.size()) {
              int n = receiver.receive(in);
              for (int i = 0; i < n; i++) {
                int length = in.length(i);
                int segment = in.segmentSize(i) > 0 ? in.segmentSize(i) : length;
                segmentSizes.add(in.segmentSize(i));
                for (int from = 0; from < length; from += segment) {
                  byte[] datagram = new byte[Math.min(segment, length - from)];
                  in.buffer().get(in.offset(i) + from, datagram);
                  datagrams.add(datagram);
                }
              }
            }
            return datagrams;
          }
        });
        assertThat(received).as(joined ? "joined" : "one by one").containsExactlyElementsOf(sent);
        if (joined) {
          assertThat(segmentSizes).as("the run arrived in one slot").containsExactly(SIZE);
        } else {
          assertThat(segmentSizes).as("one datagram per slot").hasSize(sent.size()).containsOnly(0);
        }
      }
    }
  }
}
