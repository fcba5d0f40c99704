package io.github.tuntaplab.tunlib.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.scheduling.ThreadScheduling;
import io.github.tuntaplab.tunlib.testsupport.KernelThreads;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** libpcap capture on a veth inside a namespace, opened from that namespace's thread. */
@LiveTest
class LiveCaptureLiveTest {
  @Test
  void capturesAPingOnAVethAndStopsPromptlyWhenIdle() throws Exception {
    try (TestNamespace ns = TestNamespace.create()) {
      ns.ip("link", "add", "tl-a", "type", "veth", "peer", "name", "tl-b");
      ns.ip("address", "add", "198.51.100.1/24", "dev", "tl-a");
      ns.ip("link", "set", "tl-a", "up");
      ns.ip("link", "set", "tl-b", "up");
      List<byte[]> frames = new CopyOnWriteArrayList<>();
      LiveCapture capture = ns.inside().call(() -> LiveCapture.start("tl-b", 7, (time, data, length) -> frames.add(data)));
      assertThat(capture.linkType()).isEqualTo(LinkType.ETHERNET);
      // An observer yields to the traffic from the start, before any frame arrives.
      assertThat(ThreadScheduling.threads()).filteredOn(t -> t.name().equals("capture tl-b")).singleElement()
          .satisfies(t -> assertThat(KernelThreads.nice(t.id())).isEqualTo(Math.max(7, KernelThreads.nice(
              ThreadScheduling.currentThreadId()))));
      // 198.51.100.2 does not exist: the kernel asks for it with ARP on tl-a, which tl-b receives.
      ns.exec("ping", "-c", "1", "-W", "1", "198.51.100.2");
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (frames.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(frames).anySatisfy(frame ->
          assertThat(new byte[] {frame[12], frame[13]}).containsExactly(0x08, 0x06));
      Thread.sleep(300); // idle: the loop sits in poll()
      long start = System.nanoTime();
      capture.close();
      assertThat((System.nanoTime() - start) / 1_000_000).as("ms to stop an idle capture").isLessThan(1000);
      assertThat(capture.failure()).isNull();
    }
  }
}
