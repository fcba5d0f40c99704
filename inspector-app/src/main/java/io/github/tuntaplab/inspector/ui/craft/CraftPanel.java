package io.github.tuntaplab.inspector.ui.craft;

import io.github.tuntaplab.inspector.ui.WindowLanguage;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.control.cell.CheckBoxTreeTableCell;
import javafx.scene.control.cell.TextFieldTreeTableCell;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * Craft and inject: start from a template or the selected packet, edit values in the field tree
 * (double-click a value; pin a length or checksum to keep what you wrote), see the result as
 * tcpdump prints it, and send it into the lab's TUN or TAP.
 */
public final class CraftPanel extends VBox {
  /** A row of the field tree: a layer (no field) or a field. */
  public record Row(String label, Layer layer, Field field) {}

  private final CraftModel model;
  private final WindowLanguage words;
  private final TreeTableView<Row> tree = new TreeTableView<>();
  private final TextArea tcpdump = new TextArea();

  /** {@code selected} gives the packet selected in the panes (link type, bytes, interface), or null. */
  public CraftPanel(CraftModel model, Supplier<SelectedPacket> selected, WindowLanguage words) {
    this.model = model;
    this.words = words;
    getStyleClass().add("craft-panel");
    MenuButton templates = words.named(new MenuButton(), "craft.templates");
    templates.setId("craft-templates");
    for (CraftModel.Template template : CraftModel.Template.values()) {
      MenuItem item = words.named(new MenuItem(), template.label());
      item.setId("craft-template-" + template.name());
      item.setOnAction(e -> model.start(template));
      templates.getItems().add(item);
    }
    Button duplicate = words.named(new Button(), "craft.duplicate");
    duplicate.setId("craft-duplicate");
    duplicate.setOnAction(e -> {
      SelectedPacket packet = selected.get();
      if (packet != null) {
        model.duplicate(packet.linkType(), packet.data(), packet.interfaceName());
      }
    });
    ComboBox<CraftTarget> target = new ComboBox<>(model.targets());
    target.setId("craft-target");
    target.valueProperty().bindBidirectional(model.targetProperty());
    target.setConverter(targetNames(words));
    // A new converter shows the devices again, in the other language.
    words.wordsProperty().addListener((o, was, now) -> target.setConverter(targetNames(words)));
    Button send = words.named(new Button(), "craft.send");
    send.setId("craft-send");
    send.disableProperty().bind(model.packetProperty().isNull().or(model.targetProperty().isNull()));
    send.setOnAction(e -> model.send());
    HBox bar = new HBox(templates, duplicate, words.named(new Label(), "craft.into"), target, send);
    bar.getStyleClass().add("craft-bar");
    Label message = new Label();
    message.setId("craft-message");
    message.getStyleClass().add("craft-message");
    message.textProperty().bind(model.messageProperty());

    tree.setId("craft-fields");
    tree.setPlaceholder(words.named(new Label(), "craft.empty"));
    tree.setShowRoot(false);
    tree.setEditable(true);
    tree.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY);
    TreeTableColumn<Row, String> name = new TreeTableColumn<>();
    name.textProperty().bind(words.text("craft.column.field"));
    name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().getValue().label()));
    TreeTableColumn<Row, String> value = new TreeTableColumn<>();
    value.textProperty().bind(words.text("craft.column.value"));
    value.setCellValueFactory(c -> new ReadOnlyStringWrapper(valueText(c.getValue().getValue(), model)));
    value.setCellFactory(TextFieldTreeTableCell.forTreeTableColumn());
    value.setEditable(true);
    value.setOnEditCommit(e -> {
      Field field = e.getRowValue().getValue().field();
      if (field != null) {
        model.edit(field, e.getNewValue());
      }
    });
    TreeTableColumn<Row, Boolean> pin = new TreeTableColumn<>();
    pin.textProperty().bind(words.text("craft.column.pinned"));
    pin.setCellValueFactory(c -> {
      Field field = c.getValue().getValue().field();
      if (field == null || !CraftModel.COMPUTED.contains(field.name())) {
        return new ReadOnlyObjectWrapper<>(null);
      }
      SimpleBooleanProperty pinned = new SimpleBooleanProperty(model.pinned().contains(field.name()));
      pinned.addListener((o, was, now) -> {
        if (now) {
          model.pinned().add(field.name());
        } else {
          model.pinned().remove(field.name());
        }
      });
      return pinned;
    });
    pin.setCellFactory(column -> new CheckBoxTreeTableCell<>() {
      @Override
      public void updateItem(Boolean item, boolean empty) {
        super.updateItem(item, empty);
        if (item == null) {
          setGraphic(null);
        }
      }
    });
    pin.setEditable(true);
    pin.setMinWidth(70);
    pin.setPrefWidth(80);
    pin.setMaxWidth(90);
    tree.getColumns().addAll(List.of(name, value, pin));
    model.dissectionProperty().addListener((o, was, now) -> rebuild(now));
    words.wordsProperty().addListener((o, was, now) -> rebuild(model.dissectionProperty().get()));

    tcpdump.setId("craft-tcpdump");
    tcpdump.setEditable(false);
    tcpdump.getStyleClass().add("tcpdump-view");
    tcpdump.textProperty().bind(model.tcpdumpProperty());
    SplitPane body = new SplitPane(tree, tcpdump);
    body.setOrientation(Orientation.HORIZONTAL);
    VBox.setVgrow(body, Priority.ALWAYS);
    getChildren().addAll(bar, message, body);
  }

  private static StringConverter<CraftTarget> targetNames(WindowLanguage words) {
    return new StringConverter<>() {
      @Override
      public String toString(CraftTarget device) {
        return device == null ? "" : device.label().in(words.words());
      }

      @Override
      public CraftTarget fromString(String text) {
        return null;
      }
    };
  }

  /** The packet selected in the panes, as far as crafting needs it. */
  public record SelectedPacket(io.github.tuntaplab.tunlib.packet.LinkType linkType, byte[] data, String interfaceName) {}

  private void rebuild(Dissection dissection) {
    TreeItem<Row> root = new TreeItem<>(new Row("packet", null, null));
    if (dissection != null) {
      for (Layer layer : dissection.layers()) {
        TreeItem<Row> item = new TreeItem<>(new Row(layer.depth() > 0
            ? words.format("craft.inner", layer.label()) : layer.label(), layer, null));
        item.setExpanded(true);
        addFields(item, layer.fields());
        root.getChildren().add(item);
      }
    }
    tree.setRoot(root);
  }

  private static void addFields(TreeItem<Row> parent, List<Field> fields) {
    for (Field field : fields) {
      TreeItem<Row> item = new TreeItem<>(new Row(field.name(), null, field));
      addFields(item, field.children());
      parent.getChildren().add(item);
    }
  }

  /** What the value column shows, and what editing starts from: a number, an address, or hex bytes. */
  static String valueText(Row row, CraftModel model) {
    Field field = row.field();
    if (field == null) {
      return "";
    }
    Object value = field.value();
    if (value instanceof Long number) {
      // Checksums read as tcpdump and Wireshark print them; PacketEditor takes 0x… back.
      return field.name().endsWith("checksum") ? String.format("0x%04x", number) : Long.toString(number);
    }
    if (value instanceof String text && !field.name().equals("data.data")) {
      return text;
    }
    byte[] packet = model.packetProperty().get();
    return HexFormat.ofDelimiter(" ").formatHex(packet, field.offset(), field.offset() + field.length());
  }

  public TreeTableView<Row> fieldTree() {
    return tree;
  }

  public CraftModel model() {
    return model;
  }
}
