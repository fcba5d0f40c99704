package io.github.tuntaplab.inspector.ui;

import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;

/** A test of the window with its live-lab features (bar, Lab menu, lesson panel); its {@code @Start} calls {@link #showWithLab}. */
abstract class LabWindowTest extends InspectorWindowTest {
  protected LabWindow window;

  void showWithLab(Stage stage) {
    show(stage);
    window = LabWindow.install(inspector);
  }

  @AfterEach
  void closeLab() throws Exception {
    window.close();
  }
}
