package io.github.tuntaplab.inspector.ui.routing;

import io.github.tuntaplab.inspector.ui.Phrase;
import io.github.tuntaplab.inspector.ui.WindowLanguage;
import io.github.tuntaplab.lessons.lab.ActionResult;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.LabRoutes;
import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.net.RouteLookup;
import io.github.tuntaplab.tunlib.net.RouteTable;
import io.github.tuntaplab.tunlib.text.RouteText;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The routing panel's state: one namespace's routing table from the running lab, printed as
 * {@code ip route} and as Windows' {@code route print}, and a route lookup worked out by
 * {@link RouteLookup} next to the kernel's own ({@code ip route get fibmatch}, run in the lab).
 * The lab is asked on the background executor; results land on the FX thread.
 */
public final class RoutingModel {
  /** Whether our decision and the kernel's are the same, or why there is nothing to compare yet. */
  public enum Agreement {
    NONE, PENDING, AGREE, DISAGREE, UNAVAILABLE;

    /** What the panel says of it, e.g. "✔ the kernel agrees"; nothing before a lookup. */
    public Phrase verdict() {
      return this == NONE ? Phrase.verbatim("") : Phrase.of("routing.verdict." + name().toLowerCase(Locale.ROOT));
    }
  }

  private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

  private final Supplier<LabClient> lab;
  private final Executor background;
  private final StringProperty role = new SimpleStringProperty(this, "role", "client");
  private final ReadOnlyObjectWrapper<LabRoutes> routes = new ReadOnlyObjectWrapper<>(this, "routes");
  private final ReadOnlyStringWrapper ipRouteText = new ReadOnlyStringWrapper(this, "ipRouteText", "");
  private final ReadOnlyStringWrapper windowsText = new ReadOnlyStringWrapper(this, "windowsText", "");
  private final ReadOnlyObjectWrapper<RouteLookup.Decision> decision = new ReadOnlyObjectWrapper<>(this, "decision");
  private final ReadOnlyStringWrapper ours = new ReadOnlyStringWrapper(this, "ours", "");
  private final WindowLanguage.Line kernel;
  private final ReadOnlyObjectWrapper<Agreement> agreement = new ReadOnlyObjectWrapper<>(this, "agreement",
      Agreement.NONE);
  private final WindowLanguage.Line message;
  private int lookupGeneration;

  /** {@code lab} gives the client to ask (the socket may change while the window is open). */
  public RoutingModel(Supplier<LabClient> lab, Executor background, WindowLanguage words) {
    this.lab = lab;
    this.background = background;
    this.message = words.line(Phrase.verbatim(""));
    this.kernel = words.line(Phrase.verbatim(""));
  }

  /** The namespace whose table is shown ({@code client} in the default topology). */
  public StringProperty roleProperty() {
    return role;
  }

  public ReadOnlyObjectProperty<LabRoutes> routesProperty() {
    return routes.getReadOnlyProperty();
  }

  /** The main table as {@code ip route} prints it (IPv4, then IPv6). */
  public ReadOnlyStringProperty ipRouteTextProperty() {
    return ipRouteText.getReadOnlyProperty();
  }

  /** The IPv4 routes as Windows' {@code route print} shows them. */
  public ReadOnlyStringProperty windowsTextProperty() {
    return windowsText.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<RouteLookup.Decision> decisionProperty() {
    return decision.getReadOnlyProperty();
  }

  /** What {@code ip route get fibmatch} should print by our reasoning. */
  public ReadOnlyStringProperty oursProperty() {
    return ours.getReadOnlyProperty();
  }

  /** What it did print, in the lab. */
  public ReadOnlyStringProperty kernelProperty() {
    return kernel.textProperty();
  }

  public ReadOnlyObjectProperty<Agreement> agreementProperty() {
    return agreement.getReadOnlyProperty();
  }

  /** What went wrong or what is happening, in words; empty when all is well. */
  public ReadOnlyStringProperty messageProperty() {
    return message.textProperty();
  }

  /** Reads the namespace's routes from the lab again. */
  public void refresh() {
    String asked = role.get();
    message.set("routing.reading", asked);
    background.execute(() -> {
      try {
        LabRoutes read = lab.get().routes(asked);
        Platform.runLater(() -> show(read));
      } catch (IOException | RuntimeException e) {
        Platform.runLater(() -> {
          routes.set(null);
          ipRouteText.set("");
          windowsText.set("");
          message.set("routing.failed", String.valueOf(e.getMessage()));
        });
      }
    });
  }

  private void show(LabRoutes read) {
    routes.set(read);
    var main = read.routes().stream().filter(r -> r.table().equals(RouteTable.MAIN)).toList();
    ipRouteText.set(RouteText.ipRoute(main).stream().map(String::stripTrailing).collect(Collectors.joining("\n")));
    windowsText.set(RouteText.windowsRoutePrint(main, read.addresses()));
    message.clear();
  }

  /**
   * Works out where a packet to {@code destination} goes, at once from the routes shown, and asks the
   * kernel in the lab for its own answer to compare.
   */
  public void lookup(String destination) {
    LabRoutes table = routes.get();
    int generation = ++lookupGeneration;
    InetAddress address;
    try {
      address = Ip.parse(destination.strip());
    } catch (IllegalArgumentException e) {
      message.set("routing.not.address", destination.strip());
      return;
    }
    if (table == null) {
      message.set("routing.no.table");
      return;
    }
    RouteLookup.Decision decided = RouteLookup.lookup(table.routes(), address);
    decision.set(decided);
    ours.set(RouteText.fibmatch(decided));
    kernel.clear();
    agreement.set(Agreement.PENDING);
    message.clear();
    String asked = role.get();
    background.execute(() -> {
      Phrase answer;
      Agreement verdict;
      try {
        ActionResult result = lab.get().run(asked, LOOKUP_TIMEOUT,
            List.of("ip", "route", "get", "fibmatch", Ip.text(address)));
        String printed = result.output().strip();
        answer = Phrase.verbatim(printed);
        verdict = printed.equals(RouteText.fibmatch(decided)) ? Agreement.AGREE : Agreement.DISAGREE;
      } catch (IOException | RuntimeException e) {
        answer = Phrase.of("routing.kernel.failed", String.valueOf(e.getMessage()));
        verdict = Agreement.UNAVAILABLE;
      }
      Phrase shown = answer;
      Agreement shownVerdict = verdict;
      Platform.runLater(() -> {
        if (generation == lookupGeneration) {
          kernel.set(shown);
          agreement.set(shownVerdict);
        }
      });
    });
  }
}
