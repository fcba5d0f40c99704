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
    Path socket = window.settings.socket();
    try (ServerSocketChannel peer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      peer.bind(UnixDomainSocketAddress.of(socket));
      AtomicBoolean withoutLab = new AtomicBoolean();
      Inspector.onFx(() -> window.features.connectOrElse(() -> withoutLab.set(true)));
      try (SocketChannel client = peer.accept()) {
        client.write(ByteBuffer.wrap("SSH-2.0-OpenSSH_9.2\n".getBytes()));
        awaitNoLab();
      }
      assertThat(withoutLab).isTrue();
      assertThat(Inspector.onFx(() -> window.features.bar().stateText())).isEqualTo(ENGLISH.format(
          "live.state.no_lab") + " " + ENGLISH.format("live.not.lab", socket,
          "the lab answered 'SSH-2.0-OpenSSH_9.2', not ok"));
      assertThat(Inspector.onFx(() -> window.features.bar().lookup("#live-copy").isVisible())).isTrue();
    }
  }

  @Test
  void aPeerThatNeverAnswersIsNoLabWithinSeconds() throws Exception {
    Path socket = window.settings.socket();
    try (ServerSocketChannel peer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      peer.bind(UnixDomainSocketAddress.of(socket));
      AtomicBoolean withoutLab = new AtomicBoolean();
      long start = System.nanoTime();
      Inspector.onFx(() -> window.features.connectOrElse(() -> withoutLab.set(true)));
      try (SocketChannel silent = peer.accept()) {
        awaitNoLab();
        assertThat((System.nanoTime() - start) / 1_000_000_000.0).isBetween(4.5, 9.0);
      }
      assertThat(withoutLab).isTrue();
      assertThat(Inspector.onFx(() -> window.features.bar().stateText()))
          .endsWith(ENGLISH.format("live.not.lab", socket, "no answer within 5 s"));
    }
  }

  private void awaitNoLab() {
    LabWindow.await("the no-lab state", 15,
        () -> window.features.live().stateProperty().get() == LiveSource.State.NO_LAB);
  }
}
