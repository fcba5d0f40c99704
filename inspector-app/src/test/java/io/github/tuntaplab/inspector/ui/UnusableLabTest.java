package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.Words;
import io.github.tuntaplab.tunlib.capture.CaptureFormatException;
import io.github.tuntaplab.tunlib.capture.CaptureReader;
import java.io.ByteArrayInputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testfx.framework.junit5.Start;

/**
 * Something at the lab's socket that is no lab, or a lab that hangs: a program that answers the
 * capture request with something else than {@code ok} (or a line longer than any lab's), one that
 * never answers, one that says ok and then nothing, one whose stream is no pcapng. The window does not
 * wait for ever nor stay on an error: the bar says in one line why and how to start a lab, the
 * connection is closed, and what is shown without a lab is shown, unless the user opened a file
 * meanwhile.
 */
@Timeout(60)
class UnusableLabTest extends LabWindowTest {
  private static final Words ENGLISH = Words.of(WindowLanguage.TABLE, Language.ENGLISH, WindowLanguage.class);
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Start
  void start(Stage stage) {
    showWithLab(stage);
  }

  @Test
  void aPeerThatAnswersSomethingElseIsNoLab() throws Exception {
    assertWithoutLab(client -> client.write(ByteBuffer.wrap("SSH-2.0-OpenSSH_9.2\r\n".getBytes())), 0, 4,
        "live.not.lab", "the lab answered 'SSH-2.0-OpenSSH_9.2\\u000d', not ok");
    assertThat(Inspector.onFx(() -> window.features.bar().lookup("#live-copy").isVisible())).isTrue();
  }

  @Test
  void anAnswerLongerThanALabsIsNoLabAndQuotedShort() throws Exception {
    // No newline: a peer that streams something else would otherwise be read until memory ends.
    assertWithoutLab(client -> client.write(ByteBuffer.wrap("x".repeat(300).getBytes())), 0, 4, "live.not.lab",
        "the answer's first line is longer than 256 bytes, as no lab's is: '" + "x".repeat(80) + "…'");
  }

  @Test
  void aPeerThatNeverAnswersGetsNoAnswerWithinSeconds() throws Exception {
    assertWithoutLab(silent -> { }, 4.5, 15, "live.no.answer", "no answer within 5 s");
  }

  @Test
  void aPeerThatSaysOkAndThenNothingGetsNoAnswerWithinSeconds() throws Exception {
    assertWithoutLab(client -> client.write(ByteBuffer.wrap("ok\n".getBytes())), 4.5, 15, "live.no.answer",
        "no capture stream within 5 s of the answer");
  }

  @Test
  void aStreamThatIsNoPcapngIsUnreadable() throws Exception {
    byte[] notPcapng = "ok, here is something else entirely\n".repeat(4).getBytes(StandardCharsets.US_ASCII);
    String why;
    try {
      CaptureReader.open(Channels.newChannel(new ByteArrayInputStream(notPcapng))).close();
      throw new AssertionError("the reader took text for a capture");
    } catch (CaptureFormatException e) {
      why = e.getMessage();
    }
    assertWithoutLab(client -> {
      client.write(ByteBuffer.wrap("ok\n".getBytes()));
      client.write(ByteBuffer.wrap(notPcapng));
    }, 0, 4, "live.unreadable", why);
  }

  @Test
  void aFileOpenedWhileTheWindowWaitsStays() throws Exception {
    Path socket = window.settings.socket();
    Path sample = LabWindow.SAMPLES.resolve("lesson-2.pcapng");
    try (ServerSocketChannel peer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      peer.bind(UnixDomainSocketAddress.of(socket));
      AtomicBoolean withoutLab = new AtomicBoolean();
      Inspector.onFx(() -> window.features.connectOrElse(() -> withoutLab.set(true)));
      try (SocketChannel silent = StandInLab.accept(peer, WAIT)) {
        inspector.open(sample);
        LabWindow.await("the no-lab state", 20,
            () -> window.features.live().stateProperty().get() == LiveSource.State.NO_LAB);
        StandInLab.awaitClosed(silent, WAIT);
      }
      assertThat(withoutLab).as("what is shown without a lab replaced the file").isFalse();
      assertThat(Inspector.onFx(() -> inspector.model.sessionProperty().get().file())).isEqualTo(sample);
    }
  }

  /**
   * A peer at the lab's socket that does {@code what} with the window's capture request: the window
   * says within {@code atLeast} to {@code atMost} seconds why ({@code key}, with the socket and
   * {@code reason}), closes the connection and shows what it shows without a lab.
   */
  private void assertWithoutLab(Peer what, double atLeast, double atMost, String key, String reason)
      throws Exception {
    Path socket = window.settings.socket();
    try (ServerSocketChannel peer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      peer.bind(UnixDomainSocketAddress.of(socket));
      AtomicBoolean withoutLab = new AtomicBoolean();
      long start = System.nanoTime();
      Inspector.onFx(() -> window.features.connectOrElse(() -> withoutLab.set(true)));
      try (SocketChannel client = StandInLab.accept(peer, WAIT)) {
        assertThat(StandInLab.request(client, WAIT)).isEqualTo("capture\n");
        what.answer(client);
        LabWindow.await("the no-lab state", 20,
            () -> window.features.live().stateProperty().get() == LiveSource.State.NO_LAB);
        assertThat((System.nanoTime() - start) / 1e9).isBetween(atLeast, atMost);
        StandInLab.awaitClosed(client, WAIT);
      }
      assertThat(withoutLab).isTrue();
      assertThat(Inspector.onFx(() -> window.features.bar().stateText())).isEqualTo(
          ENGLISH.format("live.state.no_lab") + " " + ENGLISH.format(key, socket, reason));
    }
  }

  /** What a peer does with the request. */
  private interface Peer {
    void answer(SocketChannel client) throws Exception;
  }
}
