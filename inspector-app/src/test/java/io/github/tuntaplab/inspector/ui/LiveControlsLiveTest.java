package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.lessons.lab.ActionResult;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.LabHost;
import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.CheckBox;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.TableView;
import javafx.scene.control.skin.VirtualFlow;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The live bar's controls on a real lab (the default topology): Pause holds the panes still while
 * packets go on arriving and shows them on resume; Clear empties the panes and the counters while the
 * stream goes on; Follow newest keeps the newest row in view, and unticked leaves the view where it is.
 */
@LiveTest
class LiveControlsLiveTest extends LabWindowTest {

  @Start
  void start(Stage stage) {
    showWithLab(stage);
  }

  @Test
  void pauseClearAndFollowNewest() throws Exception {
    LiveSource live = window.features.live();
    try (LabHost lab = LabHost.start(Topology.load("default"), window.settings, OptionalInt.empty(),
        OptionalInt.empty(), () -> { })) {
      Inspector.onFx(() -> live.connect(window.settings.socket()));
      LabWindow.await("connected", 20, () -> live.stateProperty().get() == LiveSource.State.LIVE);
      LabClient client = new LabClient(window.settings);

      Inspector.onFx(() -> ((ButtonBase) window.features.bar().lookup("#live-pause")).fire());
      assertThat(Inspector.onFx(() -> live.pausedProperty().get())).isTrue();
      int before = tunRows();
      long offered = Inspector.onFx(() -> live.offeredProperty().get());
      ping(client, 3);
      LabWindow.await("the pings offered while paused", 10, () -> live.offeredProperty().get() >= offered + 6);
      assertThat(tunRows()).as("paused: the panes stand still").isEqualTo(before);
      Inspector.onFx(() -> ((ButtonBase) window.features.bar().lookup("#live-pause")).fire());
      LabWindow.await("resumed: the pings show", 10, () -> tunRows() >= before + 6);

      // Read in the same turn of the FX thread as the click: a packet of IPv6 chatter may follow at once.
      long[] cleared = Inspector.onFx(() -> {
        ((ButtonBase) window.features.bar().lookup("#live-clear")).fire();
        return new long[] {inspector.model.pane(PaneKind.TAP).rows().size(), inspector.model.pane(PaneKind.TUN)
            .rows().size(), live.offeredProperty().get(), live.shownProperty().get()};
      });
      assertThat(cleared).containsOnly(0L);
      ping(client, 1);
      LabWindow.await("the stream goes on after Clear", 10, () -> tunRows() >= 2);

      // Many more rows than the pane shows: following, the newest is in view.
      ping(client, 80);
      LabWindow.await("the flood shown", 20, () -> tunRows() >= 150);
      WaitForAsyncUtils.waitForFxEvents();
      LabWindow.await("the newest row in view", 10, () -> lastVisibleRow() == tunRows() - 1);
      Inspector.onFx(() -> ((CheckBox) window.features.bar().lookup("#live-follow")).fire());
      assertThat(Inspector.onFx(() -> live.followNewestProperty().get())).isFalse();
      int top = Inspector.onFx(this::firstVisibleRow);
      int shown = tunRows();
      ping(client, 40);
      LabWindow.await("more rows", 20, () -> tunRows() >= shown + 70);
      WaitForAsyncUtils.waitForFxEvents();
      assertThat(Inspector.onFx(this::firstVisibleRow)).as("not following: the view stays").isEqualTo(top);
      assertThat(Inspector.onFx(this::lastVisibleRow)).isLessThan(tunRows() - 40);
      Inspector.onFx(live::disconnect);
    }
  }

  /** Pings the TUN's responder; on a busy machine a reply of a quick series may come late, which the waits allow for. */
  private static void ping(LabClient client, int count) throws Exception {
    ActionResult ping = client.run("client", Duration.ofSeconds(10),
        List.of("ping", "-c", Integer.toString(count), "-i", "0.01", "-W", "1", "198.18.0.2"));
    assertThat(ping.output()).as(ping.output()).contains(count + " packets transmitted");
  }

  private int tunRows() {
    return Inspector.onFx(() -> inspector.model.pane(PaneKind.TUN).rows().size());
  }

  /** The last row of the TUN pane's table that is in view. */
  private int lastVisibleRow() {
    IndexedCell<?> last = flow().getLastVisibleCell();
    return last == null ? -1 : last.getIndex();
  }

  private int firstVisibleRow() {
    IndexedCell<?> first = flow().getFirstVisibleCell();
    return first == null ? -1 : first.getIndex();
  }

  private VirtualFlow<?> flow() {
    TableView<?> table = inspector.pane(PaneKind.TUN).table();
    table.layout();
    return (VirtualFlow<?>) table.lookup(".virtual-flow");
  }
}
