package io.github.tuntaplab.lessons.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.scheduling.ThreadScheduling;
import io.github.tuntaplab.tunlib.testsupport.KernelThreads;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket protocol (LAB-PROTOCOL.md) against a lab in this JVM: each request, and the stream read by our reader. */
@LiveTest
class LabSocketLiveTest {
  @TempDir
  Path dir;

  @Test
  void everyRequestIsAnsweredAndTheStreamCarriesStepsAndDirections() throws Exception {
    LabSettings settings = TestLabs.settings(dir);
    CountDownLatch stop = new CountDownLatch(1);
    try (Lab lab = Lab.up(Topology.load("default"), settings);
        LabServer server = LabServer.start(lab, settings.socket(), OptionalInt.empty(), OptionalInt.empty(),
            stop::countDown, java.util.Map.of("twice", (on, fields) -> fields.get(1) + fields.get(1) + "\n"))) {
      LabClient client = new LabClient(settings);
      assertThat(client.status()).contains("lab default", "namespace " + settings.namespace("router") + " (router)",
          "203.0.113.1/24");

      BlockingQueue<CapturedPacket> streamed = new LinkedBlockingQueue<>();
      InputStream stream = client.captureStream();
      Thread reader = new Thread(() -> {
        try (CaptureReader capture = CaptureReader.open(Channels.newChannel(stream))) {
          for (CapturedPacket packet; (packet = capture.next()) != null; ) {
            streamed.add(packet);
          }
        } catch (IOException e) {
          // The lab closed the stream.
        }
      });
      reader.start();
      Thread.sleep(300); // the stream is registered before the ping starts

      client.step("step 1: ping the TUN's responder");
      ActionResult ping = client.run("client", Duration.ofSeconds(5), List.of("ping", "-c1", "-W2", "198.18.0.2"));
      assertThat(ping.succeeded()).as(ping.output()).isTrue();
      assertThat(ping.output()).contains("1 received");

      // What observes yields to the traffic: the captures and the stream to this reader run at the observers' nice
      // value; the responders, which answer the ping, keep the lab's own.
      int own = KernelThreads.nice(ThreadScheduling.currentThreadId());
      List<ThreadScheduling.KernelThread> threads = ThreadScheduling.threads();
      assertThat(threads).filteredOn(t -> t.name().equals("capture tl-eth0") || t.name().equals("lab pcapng stre"))
          .hasSizeGreaterThanOrEqualTo(2).allSatisfy(t -> assertThat(KernelThreads.nice(t.id()))
              .isEqualTo(Math.max(own, LabCapture.OBSERVER_NICENESS)));
      assertThat(threads).filteredOn(t -> t.name().startsWith("responder ")).isNotEmpty()
          .allSatisfy(t -> assertThat(KernelThreads.nice(t.id())).isEqualTo(own));

      // IPv6 chatter of the fresh links may come first; the step's comment is on one packet, before the ping's.
      List<CapturedPacket> seen = new java.util.ArrayList<>();
      CapturedPacket request;
      do {
        request = streamed.poll(5, TimeUnit.SECONDS);
        assertThat(request).as("an ICMP packet on tl-tun0, after %s", seen).isNotNull();
        seen.add(request);
      } while (!"tl-tun0".equals(request.interfaceName()));
      assertThat(seen).extracting(CapturedPacket::comment).filteredOn(java.util.Objects::nonNull)
          .containsExactly("step 1: ping the TUN's responder");
      assertThat(request.linkType()).isEqualTo(LinkType.RAW);

      // The kernel's counters of the TUN: the echo request went out of it, the reply came in.
      LinkCounters tun = client.stats().stream().filter(c -> c.role().equals("client") && c.link().equals("tl-tun0"))
          .findFirst().orElseThrow();
      assertThat(tun.up()).isTrue();
      assertThat(tun.txPackets()).isPositive();
      assertThat(tun.rxPackets()).isPositive();
      assertThat(client.ask("twice", "ab")).isEqualTo("abab\n");

      ActionResult timedOut = client.run("client", Duration.ofSeconds(1), List.of("sleep", "5"));
      assertThat(timedOut.timedOut()).isTrue();
      assertThat(raw(settings.socket(), "fly\n")).isEqualTo("error unknown request 'fly' (status, stats, capture, step, run, stop, routes, inject, twice)\n");
      assertThat(raw(settings.socket(), "run\tnowhere\t1\ttrue\n")).startsWith("error no namespace nowhere");
      assertThatThrownBy(() -> client.run("client", null, List.of("no-such-program")))
          .hasMessageContaining("the lab refused");

      assertThatThrownBy(() -> Lab.up(Topology.load("default"), settings)).isInstanceOf(LabConflictException.class)
          .hasMessageContaining(settings.namespace("client")).hasMessageContaining("tunlab cleanup");

      client.stop();
      assertThat(stop.await(5, TimeUnit.SECONDS)).isTrue();
      lab.close();
      reader.join(5000);
      assertThat(reader.isAlive()).as("the stream ends when the lab closes").isFalse();
    }
    assertThatThrownBy(() -> new LabClient(settings).status()).isInstanceOf(LabClient.LabNotRunningException.class)
        .hasMessageContaining("no lab is running");
  }

  @Test
  void oneLabAtATimeAndAStaleLockIsTakenOver() throws Exception {
    Path file = dir.resolve("lab.lock");
    try (LabLock held = LabLock.acquire(file)) {
      assertThat(LabLock.holder(file)).hasValue(ProcessHandle.current().pid());
      assertThatThrownBy(() -> LabLock.acquire(file)).isInstanceOf(LabConflictException.class)
          .hasMessageContaining("another lab is running (pid " + ProcessHandle.current().pid() + ")");
    }
    assertThat(file).doesNotExist();
    java.nio.file.Files.writeString(file, "999999\n"); // a crashed lab's file: nobody holds the lock
    assertThat(LabLock.holder(file)).isEmpty();
    try (LabLock taken = LabLock.acquire(file)) {
      assertThat(java.nio.file.Files.readString(file).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }
  }

  /** One request by hand, as a program in another language would send it. */
  private static String raw(Path socket, String request) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
      return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
