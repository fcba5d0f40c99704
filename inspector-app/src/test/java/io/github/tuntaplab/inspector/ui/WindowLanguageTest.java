package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.craft.CraftModel;
import io.github.tuntaplab.inspector.ui.craft.CraftPanel;
import io.github.tuntaplab.inspector.ui.craft.CraftTarget;
import io.github.tuntaplab.inspector.ui.lesson.LessonLanguage;
import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.inspector.ui.routing.RoutingModel;
import io.github.tuntaplab.inspector.ui.routing.RoutingPanel;
import io.github.tuntaplab.inspector.ui.tools.LabTools;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.LabRoutes;
import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.Words;
import io.github.tuntaplab.tunlib.net.RouteLookup;
import io.github.tuntaplab.tunlib.testsupport.EnglishWords;
import io.github.tuntaplab.tunlib.testsupport.RouteExamples;
import io.github.tuntaplab.tunlib.text.RouteText;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javafx.event.ActionEvent;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.DialogPane;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumnBase;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole window speaks the language chosen: switched to Chinese (from the View menu), no menu
 * item, label, button, column header, tab, tooltip or prompt of the window reads as an English
 * entry of the window's table or as English words (commands, protocol names and the packets'
 * own text aside), and switched back, the same controls read as English again. So do the routing
 * panel's lookups (every reason a route wins or loses for), the craft tool started from each template
 * and the problem dialog, which follows a switch while open. The window's table has every key in both
 * languages.
 */
class WindowLanguageTest extends LabWindowTest {
  /** What stays as it is in every language: commands, tcpdump's and ip's words, the packets' own text. */
  private static final List<String> KEPT = List.of("sudo tunlab lab up", "tunlab FILE", "tcpdump -nn -e",
      "icmp or arp or udp port", "ip route get fibmatch DESTINATION", "ip route get", "ip route", "route print",
      "ip -s link", "ip rule", "TunTap Lab", "Network is unreachable", "Invalid argument", "No route to host",
      "Permission denied");
  /**
   * Words the window says as they are besides {@link EnglishWords#NAMES}: keys (Ctrl, Enter), the
   * systems' names (Linux, Windows), English in the language menu, root (the privilege) and a packet's
   * direction (out).
   */
  private static final Set<String> WINDOW_NAMES = Set.of("out", "root", "Enter", "English", "Windows", "Linux",
      "Ctrl");
  /** The names of the tables the rules consult, as {@code ip rule} and {@code ip route} print them. */
  private static final Set<String> TABLES = Set.of("local", "main", "default");

  private LabTools tools;
  @TempDir
  Path dir;

  @Start
  void start(Stage stage) {
    showWithLab(stage);
    // No lab there unless a test serves one (read when the tools ask, after the directory is made).
    tools = new LabTools(inspector.model, () -> new LabClient(labSocket()), Runnable::run);
    inspector.view.installLabTools(tools);
  }

  private Path labSocket() {
    return dir.resolve("lab.sock");
  }

  @Test
  void everyKeyOfTheWindowsTableIsInBothLanguagesWithTheSameValuesFilledIn() {
    Words english = Words.of(WindowLanguage.TABLE, Language.ENGLISH, WindowLanguage.class);
    Words chinese = Words.of(WindowLanguage.TABLE, Language.CHINESE, WindowLanguage.class);
    assertThat(english.keys()).hasSizeGreaterThan(150);
    assertThat(chinese.differencesFrom(english)).isEmpty();
    for (String key : english.keys()) {
      if (!english.pattern(key).equals(chinese.pattern(key))) {
        assertThat(chinese.pattern(key)).as(key).matches(Language.CHINESE::writes);
      }
    }
  }

  @Test
  void switchedToChineseNothingOfTheWindowIsLeftInEnglishAndSwitchedBackAllIsEnglishAgain() throws Exception {
    inspector.open(LabWindow.SAMPLES.resolve("lesson-5.pcapng"));
    // A packet selected (its callouts, the selection in the status bar, its tree and bytes), a field
    // highlighted, the bar in its no-lab state (with the command and its copy button).
    inspector.selectRow(PaneKind.TUN, 0);
    Inspector.onFx(() -> inspector.pane(PaneKind.TUN).tree().getSelectionModel().select(2));
    Inspector.onFx(() -> window.features.live().connect(Path.of("/nonexistent/lab.sock")));
    LabWindow.await("the no-lab state", 10,
        () -> window.features.live().stateProperty().get() == LiveSource.State.NO_LAB);
    Map<Object, String> english = Inspector.onFx(this::texts);
    assertThat(english.values()).anyMatch(t -> t.startsWith("No lab is running"))
        .anyMatch(t -> t.equals("_File")).anyMatch(t -> t.equals("Source")).anyMatch(t -> t.contains("bytes"));
    assertThat(tools.tabs().getTabs()).extracting(Tab::getText).contains("Topology");

    chooseFromTheViewMenu(LessonLanguage.CHINESE);
    Map<Object, String> chinese = Inspector.onFx(this::texts);
    assertThat(leftInEnglish(chinese, List.of(), Set.of())).isEmpty();
    assertThat(chinese.values()).anyMatch(t -> t.startsWith("没有运行中的实验环境")).anyMatch(t -> t.equals("文件(_F)"))
        .anyMatch(t -> t.equals("源地址"));
    // The lesson panel follows the window's language, the window follows the panel's box.
    assertThat(Inspector.onFx(() -> window.features.lessons().languageProperty().get()))
        .isEqualTo(LessonLanguage.CHINESE);

    Inspector.onFx(() -> window.features.lessons().languageProperty().set(LessonLanguage.ENGLISH));
    // The same texts again (the bytes' and the tree's nodes are made anew, so compared in order).
    Map<Object, String> back = Inspector.onFx(this::texts);
    assertThat(new ArrayList<>(back.values())).isEqualTo(new ArrayList<>(english.values()));

    // The lists as tcpdump's text, in Chinese too (the placeholders of the tables giving up their rows among them).
    chooseFromTheViewMenu(LessonLanguage.CHINESE);
    Inspector.onFx(() -> inspector.model.textViewProperty().set(true));
    assertThat(leftInEnglish(Inspector.onFx(this::texts), List.of(), Set.of())).isEmpty();
  }

  /**
   * The routing panel's lookups in the Chinese window: the outcome, every reason a route wins or
   * loses for (the candidates' cells) and every refusal, from a table a stand-in lab serves that
   * gives them all. The stand-in runs no commands: the kernel's answer is said to have timed out.
   */
  @Test
  void routeLookupsSayEveryOutcomeAndReasonInChinese() throws Exception {
    try (ServerSocketChannel lab = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      lab.bind(UnixDomainSocketAddress.of(labSocket()));
      StandInLab.serve(lab, request -> request.equals("routes\tclient")
          ? "ok\n" + new LabRoutes(RouteExamples.EVERY_REASON, List.of()).text()
          : request.startsWith("run\tclient\t") ? "ok\ntimeout\n" : "error the stand-in serves routes only\n");
      chooseFromTheViewMenu(LessonLanguage.CHINESE);
      RoutingPanel routing = tools.routingPanel();
      Inspector.onFx(() -> {
        tools.tabs().getSelectionModel().select(tools.tabs().getTabs().stream()
            .filter(tab -> tab.getContent() == routing).findFirst().orElseThrow());
        routing.model().refresh();
      });
      LabWindow.await("the routes", 10, () -> routing.model().routesProperty().get() != null);
      Set<Class<?>> reasons = new HashSet<>();
      Set<RouteLookup.Refusal> refusals = new HashSet<>();
      boolean noRoute = false;
      for (String destination : RouteExamples.EVERY_REASON_DESTINATIONS) {
        Inspector.onFx(() -> {
          routing.destinationField().setText(destination);
          routing.destinationField().fireEvent(new ActionEvent());
        });
        LabWindow.await("the kernel's answer", 10,
            () -> routing.model().agreementProperty().get() != RoutingModel.Agreement.PENDING);
        RouteLookup.Decision decision = Inspector.onFx(() -> routing.model().decisionProperty().get());
        decision.candidates().forEach(candidate -> reasons.add(candidate.why().getClass()));
        decision.refusal().ifPresent(refusals::add);
        noRoute |= decision.winner().isEmpty();

        Map<Object, String> shown = Inspector.onFx(this::texts);
        for (int i = 0; i < decision.candidates().size(); i++) {
          int index = i;
          shown.put("candidate " + index, Inspector.onFx(() -> candidateShown(routing.candidateList(), index)));
        }
        // Routes as ip prints them, our fibmatch line among them; tables and route types by their names.
        List<String> routes = new ArrayList<>(decision.candidates().stream()
            .map(c -> RouteText.ipRoute(List.of(c.route())).get(0).stripTrailing()).toList());
        routes.add(Inspector.onFx(() -> routing.model().oursProperty().get()));
        Set<String> names = new HashSet<>(TABLES);
        decision.candidates().forEach(c -> names.add(c.route().type().name()));
        assertThat(leftInEnglish(shown, routes, names)).as(destination).isEmpty();
      }
      assertThat(reasons).containsExactlyInAnyOrder(RouteLookup.Reason.class.getPermittedSubclasses());
      assertThat(refusals).containsExactlyInAnyOrder(RouteLookup.Refusal.values());
      assertThat(noRoute).isTrue();
    }
  }

  /** The text of the list's cell for row {@code index}, scrolled to it (the list shows a few rows at a time). */
  private static String candidateShown(ListView<?> list, int index) {
    list.scrollTo(index);
    list.applyCss();
    list.layout();
    return list.lookupAll(".list-cell").stream().map(IndexedCell.class::cast).filter(cell -> cell.getIndex() == index)
        .map(IndexedCell::getText).findFirst().orElseThrow(() -> new AssertionError("no cell shows row " + index));
  }

  /** The craft tool started from each template, on each of the default lab's devices, in Chinese. */
  @Test
  void theCraftToolStartedFromATemplateSpeaksChinese() throws Exception {
    chooseFromTheViewMenu(LessonLanguage.CHINESE);
    CraftPanel craft = tools.craftPanel();
    List<CraftTarget> targets = CraftTarget.of(Topology.load("default"));
    Inspector.onFx(() -> {
      tools.tabs().getSelectionModel().select(tools.tabs().getTabs().stream()
          .filter(tab -> tab.getContent() == craft).findFirst().orElseThrow());
      craft.model().setTargets(targets);
    });
    // The devices are named with their namespaces' roles in the lab (client, vpn, …): each name as the
    // target box shows it is kept whole, so a role word anywhere else is still English.
    Words zh = Words.of(WindowLanguage.TABLE, Language.CHINESE, WindowLanguage.class);
    List<String> targetNames = targets.stream().map(target -> target.label().in(zh)).toList();
    Set<String> said = new HashSet<>();
    for (CraftTarget target : targets) {
      for (CraftModel.Template template : CraftModel.Template.values()) {
        Inspector.onFx(() -> {
          craft.model().targetProperty().set(target);
          MenuButton templates = (MenuButton) craft.lookup("#craft-templates");
          templates.getItems().stream().filter(item -> item.getId().equals("craft-template-" + template.name()))
              .findFirst().orElseThrow().fire();
        });
        WaitForAsyncUtils.waitForFxEvents();
        Map<Object, String> shown = Inspector.onFx(this::texts);
        assertThat(shown.values()).contains(target.label().in(zh));
        assertThat(leftInEnglish(shown, targetNames, Set.of()))
            .as(template + " on " + target.link()).isEmpty();
        said.add(Inspector.onFx(() -> craft.model().messageProperty().get()));
      }
    }
    // Started (IPv4, IPv6, ARP), refused (ARP on a TUN): not one message for all.
    assertThat(said).hasSizeGreaterThan(3);
  }

  /**
   * The problem dialog says its title, text and button in the window's language, and an open one
   * follows a switch, as the rest of the window does.
   */
  @Test
  void theProblemDialogSpeaksChineseAndFollowsASwitch(FxRobot robot) throws Exception {
    chooseFromTheViewMenu(LessonLanguage.CHINESE);
    inspector.open(dir.resolve("missing.pcap"));
    List<DialogPane> dialogs = Inspector.dialogs(robot);
    assertThat(dialogs).hasSize(1);
    DialogPane dialog = dialogs.get(0);
    Map<Object, String> chinese = Inspector.onFx(() -> dialogTexts(dialog));
    assertThat(leftInEnglish(chinese, List.of(), Set.of())).isEmpty();
    Words zh = Words.of(WindowLanguage.TABLE, Language.CHINESE, WindowLanguage.class);
    assertThat(chinese.values()).contains(zh.format("problem.open", "missing.pcap"), zh.pattern("dialog.ok"))
        .anyMatch(text -> zh.asRegex("problem.no.such.file").matcher(text).matches());

    chooseFromTheViewMenu(LessonLanguage.ENGLISH);
    Words en = Words.of(WindowLanguage.TABLE, Language.ENGLISH, WindowLanguage.class);
    Map<Object, String> english = Inspector.onFx(() -> dialogTexts(dialog));
    assertThat(english.values()).contains(en.format("problem.open", "missing.pcap"), en.pattern("dialog.ok"))
        .anyMatch(text -> en.asRegex("problem.no.such.file").matcher(text).matches());
    chooseFromTheViewMenu(LessonLanguage.CHINESE);
    assertThat(Inspector.onFx(() -> dialogTexts(dialog))).isEqualTo(chinese);
  }

  /** The dialog's window title, header, text and buttons. */
  private static Map<Object, String> dialogTexts(DialogPane dialog) {
    Map<Object, String> texts = new LinkedHashMap<>();
    put(texts, "the dialog's title", ((Stage) dialog.getScene().getWindow()).getTitle());
    put(texts, "the dialog's header", dialog.getHeaderText());
    put(texts, "the dialog's text", dialog.getContentText());
    dialog.getButtonTypes().forEach(type -> put(texts, type, ((Labeled) dialog.lookupButton(type)).getText()));
    return texts;
  }

  /**
   * The direction column's header is an arrow whose tooltip names it: said again at every switch,
   * there and back and there again.
   */
  @Test
  void theDirectionColumnsNameIsSaidAgainAtEverySwitch() {
    Tooltip tip = Inspector.onFx(() -> ((Labeled) inspector.pane(PaneKind.TUN).table().getColumns().stream()
        .filter(column -> column.getId().endsWith("-direction")).findFirst().orElseThrow().getGraphic()).getTooltip());
    for (LessonLanguage language : List.of(LessonLanguage.CHINESE, LessonLanguage.ENGLISH, LessonLanguage.CHINESE,
        LessonLanguage.ENGLISH)) {
      chooseFromTheViewMenu(language);
      assertThat(Inspector.onFx(tip::getText)).as(language.toString())
          .isEqualTo(Words.of(WindowLanguage.TABLE, language.language(), WindowLanguage.class).pattern("column.direction"));
    }
  }

  /**
   * A menu item named from the table parses its mnemonic ({@code _Open…} shows "Open…" with O
   * underlined and answers Alt+O; {@code 打开(_O)…} shows "打开(O)…"): no menu, in either language,
   * shows an underscore.
   */
  @Test
  void everyMenuItemNamedFromTheTableParsesItsMnemonicAndNoneShowsAnUnderscore() {
    for (LessonLanguage language : List.of(LessonLanguage.CHINESE, LessonLanguage.ENGLISH)) {
      chooseFromTheViewMenu(language);
      List<String> wrong = new ArrayList<>();
      List<MenuItem> keyed = new ArrayList<>();
      Inspector.onFx(() -> {
        MenuBar bar = (MenuBar) inspector.view.getTop().lookup(".menu-bar");
        bar.getMenus().forEach(menu -> menuItems(menu, item -> {
          if (item.textProperty().isBound()) {
            keyed.add(item);
            if (!item.isMnemonicParsing()) {
              wrong.add("'" + item.getText() + "' does not parse its mnemonic");
            }
          }
          if (item.getText() != null && shown(item).contains("_")) {
            wrong.add("'" + item.getText() + "' shows '" + shown(item) + "'");
          }
        }));
      });
      assertThat(wrong).as(language.toString()).isEmpty();
      assertThat(keyed).as(language.toString()).hasSizeGreaterThan(15)
          .anyMatch(item -> shown(item).equals(language == LessonLanguage.ENGLISH ? "Open…" : "打开(O)…"));
    }
  }

  /** {@code item}'s text as the menu shows it: a parsed mnemonic's underscore gone, a doubled one shown once. */
  private static String shown(MenuItem item) {
    return item.isMnemonicParsing() ? item.getText().replaceFirst("(?<!_)_(?=[^_])", "").replace("__", "_")
        : item.getText();
  }

  private static void menuItems(MenuItem item, java.util.function.Consumer<MenuItem> each) {
    each.accept(item);
    if (item instanceof Menu menu) {
      menu.getItems().forEach(child -> menuItems(child, each));
    }
  }

  private void chooseFromTheViewMenu(LessonLanguage language) {
    Inspector.onFx(() -> {
      MenuBar bar = (MenuBar) inspector.view.getTop().lookup(".menu-bar");
      Menu languages = bar.getMenus().stream().flatMap(m -> m.getItems().stream()).filter(Menu.class::isInstance)
          .map(Menu.class::cast).filter(m -> m.getItems().stream().anyMatch(i -> i.getText().equals("中文")))
          .findFirst().orElseThrow();
      languages.getItems().stream().filter(i -> i.getText().equals(language.toString())).findFirst().orElseThrow()
          .fire();
    });
  }

  /**
   * Every text the window shows of its own, by what shows it: menus and their items, labels and
   * buttons, tabs, column headers, tooltips and prompts. Not the cells of lists, tables and trees:
   * they show packets, fields, routes and checkpoints, in tcpdump's and the dissector's words.
   */
  private Map<Object, String> texts() {
    inspector.view.applyCss();
    inspector.view.layout();
    Map<Object, String> texts = new LinkedHashMap<>();
    Parent root = inspector.view;
    put(texts, "the window's title", ((Stage) root.getScene().getWindow()).getTitle());
    MenuBar bar = (MenuBar) root.lookup(".menu-bar");
    bar.getMenus().forEach(menu -> menuTexts(menu, texts));
    collect(root, texts);
    return texts;
  }

  private static void menuTexts(MenuItem item, Map<Object, String> texts) {
    put(texts, item, item.getText());
    if (item instanceof Menu menu) {
      menu.getItems().forEach(each -> menuTexts(each, texts));
    }
  }

  private static void collect(Node node, Map<Object, String> texts) {
    if (node instanceof IndexedCell<?> && !(node.getParent() instanceof ComboBox<?>)) {
      return;
    }
    if (node instanceof Labeled labeled) {
      put(texts, labeled, labeled.getText());
    }
    if (node instanceof Control control && control.getTooltip() != null) {
      put(texts, control.getTooltip(), control.getTooltip().getText());
    }
    if (node instanceof Control control && control.getContextMenu() != null) {
      control.getContextMenu().getItems().forEach(item -> menuTexts(item, texts));
    }
    if (node instanceof TextInputControl input) {
      put(texts, input.promptTextProperty(), input.getPromptText());
    }
    if (node instanceof MenuButton button) {
      button.getItems().forEach(item -> menuTexts(item, texts));
    }
    if (node instanceof TabPane tabs) {
      tabs.getTabs().forEach(tab -> {
        put(texts, tab, tab.getText());
        if (tab.getTooltip() != null) {
          put(texts, tab.getTooltip(), tab.getTooltip().getText());
        }
        if (tab.getContextMenu() != null) {
          tab.getContextMenu().getItems().forEach(item -> menuTexts(item, texts));
        }
      });
    }
    if (node instanceof TableView<?> table) {
      table.getColumns().forEach(column -> columnTexts(column, texts));
    }
    if (node instanceof TreeTableView<?> table) {
      table.getColumns().forEach(column -> columnTexts(column, texts));
    }
    if (node instanceof Parent parent) {
      parent.getChildrenUnmodifiable().forEach(child -> collect(child, texts));
    }
  }

  private static void columnTexts(TableColumnBase<?, ?> column, Map<Object, String> texts) {
    put(texts, column, column.getText());
    if (column.getGraphic() instanceof Labeled graphic && graphic.getTooltip() != null) {
      Tooltip tip = graphic.getTooltip();
      put(texts, tip, tip.getText());
    }
  }

  private static void put(Map<Object, String> texts, Object shower, String text) {
    if (text != null && !text.isBlank()) {
      texts.put(shower, text);
    }
  }

  /**
   * The texts that read as an English entry of the window's table, or as English words, each with why;
   * {@code alsoKept} and {@code alsoAllowed} are more values shown as they are (routes, names).
   */
  private List<String> leftInEnglish(Map<Object, String> texts, List<String> alsoKept, Set<String> alsoAllowed) {
    List<String> kept = new ArrayList<>(alsoKept);
    kept.addAll(KEPT);
    Set<String> allowed = new HashSet<>(EnglishWords.NAMES);
    allowed.addAll(WINDOW_NAMES);
    allowed.addAll(alsoAllowed);
    // The dissector's names of the selected packets' layers, as the tree, the bytes' tooltips and the
    // callouts show them ("Internet Protocol Version 4", "udp").
    Inspector.onFx(() -> Stream.of(PaneKind.values()).map(kind -> inspector.pane(kind).model().selected())
        .filter(Objects::nonNull).flatMap(detail -> detail.dissection().layers().stream()).forEach(layer -> {
          kept.add(layer.label());
          allowed.add(layer.name());
        }));
    Words english = Words.of(WindowLanguage.TABLE, Language.ENGLISH, WindowLanguage.class);
    Words chinese = Words.of(WindowLanguage.TABLE, Language.CHINESE, WindowLanguage.class);
    Map<String, Pattern> entries = new LinkedHashMap<>();
    for (String key : english.keys()) {
      if (!english.pattern(key).equals(chinese.pattern(key))) {
        entries.put(key, english.asRegex(key));
      }
    }
    List<String> left = new ArrayList<>();
    for (Map.Entry<Object, String> shown : texts.entrySet()) {
      String text = shown.getValue();
      entries.forEach((key, regex) -> {
        if (regex.matcher(text).matches()) {
          left.add("'" + text + "' is " + key + " in English (" + shown.getKey() + ")");
        }
      });
      for (String word : EnglishWords.in(text, kept, allowed)) {
        left.add("'" + text + "' has an English word: " + word + " (" + shown.getKey() + ")");
      }
    }
    return left;
  }
}
