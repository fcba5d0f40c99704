package io.github.tuntaplab.lessons.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client against sockets that are no running lab, without privileges. */
@Timeout(30)
class LabClientTest {
  @TempDir
  Path dir;

  @Test
  void aLeftoverSocketFileIsNoLabRunning() throws Exception {
    Path socket = dir.resolve("lab.sock");
    try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      crashed.bind(UnixDomainSocketAddress.of(socket)); // closed without unlinking: nobody listens
    }
    assertThatThrownBy(() -> new LabClient(socket).captureStream())
        .isInstanceOf(LabClient.LabNotRunningException.class).hasMessageContaining("crashed lab's leftover");
  }

  @Test
  void waitingForTheCaptureAnswerEndsOnAnInterrupt() throws Exception {
    Path socket = dir.resolve("lab.sock");
    try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      silent.bind(UnixDomainSocketAddress.of(socket));
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      Thread waiting = new Thread(() -> {
        try {
          new LabClient(socket).captureStream().close();
          failure.complete(null);
        } catch (Throwable e) {
          failure.complete(e);
        }
      });
      waiting.start();
      try (SocketChannel accepted = silent.accept()) {
        ByteBuffer request = ByteBuffer.allocate(64);
        while (request.position() == 0 || request.get(request.position() - 1) != '\n') {
          assertThat(accepted.read(request)).as("the request's bytes").isNotNegative();
        }
        // The client waits for the answer now; the interrupt is as the window's shutdownNow() sends it.
        long interrupted = System.nanoTime();
        waiting.interrupt();
        Throwable thrown = failure.get(LabClient.CAPTURE_ANSWER.toSeconds() * 2, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(InterruptedIOException.class);
        assertThat((System.nanoTime() - interrupted) / 1e9).as("seconds after the interrupt").isLessThan(1);
      }
      waiting.join();
    }
  }
}
