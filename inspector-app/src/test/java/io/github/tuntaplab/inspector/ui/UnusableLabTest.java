package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.Words;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * Something at the lab's socket that is not a lab: a program that answers the capture request with
 * something else than {@code ok}, and one that never answers. The window does not wait for ever nor
 * stay on an error: the bar says in one line that this is no lab's socket and how to start one, and
 * what is shown without a lab is shown.
 */
class UnusableLabTest extends LabWindowTest {
  private static final Words ENGLISH = Words.of(WindowLanguage.TABLE, Language.ENGLISH, WindowLanguage.class);

  @Start
  void start(Stage stage) {
    showWithLab(stage);
  }

  @Test
  void aPeerThatAnswersSomethingElseIsNoLab() throws Exception {
    assertNoLabWith(client -> client.write(ByteBuffer.wrap("SSH-2.0-OpenSSH_9.2\n".getBytes())), 0, 4,
        "the lab answered 'SSH-2.0-OpenSSH_9.2', not ok");
    assertThat(Inspector.onFx(() -> window.features.bar().lookup("#live-copy").isVisible())).isTrue();
  }

  @Test
  void aPeerThatNeverAnswersIsNoLabWithinSeconds() throws Exception {
    assertNoLabWith(silent -> { }, 4.5, 9, "no answer within 5 s");
  }

  /**
   * A peer at the lab's socket that does {@code what} with the window's capture request: the window
   * says within {@code atLeast} to {@code atMost} seconds that it is no lab, for {@code reason}, and
   * shows what it shows without a lab.
   */
  private void assertNoLabWith(Peer what, double atLeast, double atMost, String reason) throws Exception {
    Path socket = window.settings.socket();
    try (ServerSocketChannel peer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      peer.bind(UnixDomainSocketAddress.of(socket));
      AtomicBoolean withoutLab = new AtomicBoolean();
      long start = System.nanoTime();
      Inspector.onFx(() -> window.features.connectOrElse(() -> withoutLab.set(true)));
      try (SocketChannel client = peer.accept()) {
        what.answer(client);
        LabWindow.await("the no-lab state", 15,
            () -> window.features.live().stateProperty().get() == LiveSource.State.NO_LAB);
        assertThat((System.nanoTime() - start) / 1e9).isBetween(atLeast, atMost);
      }
      assertThat(withoutLab).isTrue();
      assertThat(Inspector.onFx(() -> window.features.bar().stateText())).isEqualTo(
          ENGLISH.format("live.state.no_lab") + " " + ENGLISH.format("live.not.lab", socket, reason));
    }
  }

  /** What a peer does with the request. */
  private interface Peer {
    void answer(SocketChannel client) throws Exception;
  }
}
