package io.github.tuntaplab.inspector.ui;

import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;

/** What the colours mean: each layer family, outer (pale) and encapsulated (strong). */
final class Legend extends FlowPane {
  Legend(WindowLanguage words) {
    getStyleClass().add("legend");
    for (LayerStyle style : LayerStyle.values()) {
      getChildren().add(swatch(words, style.label(), style.styleClass(), false));
    }
    getChildren().add(swatch(words, Phrase.of("legend.inner"), LayerStyle.NETWORK.styleClass(), true));
    Label selected = words.named(new Label(), "legend.selected");
    selected.getStyleClass().addAll("legend-swatch", "legend-selected");
    getChildren().add(selected);
  }

  private static Label swatch(WindowLanguage words, Phrase name, String styleClass, boolean inner) {
    Label label = words.named(new Label(), name);
    label.getStyleClass().addAll("legend-swatch", styleClass);
    if (inner) {
      label.getStyleClass().add(LayerStyle.INNER);
    }
    return label;
  }
}
