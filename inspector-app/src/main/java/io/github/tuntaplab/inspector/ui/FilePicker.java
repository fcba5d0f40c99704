package io.github.tuntaplab.inspector.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * Where the user names a capture to open or a file to save to: the desktop's file dialogs, or,
 * in tests, a stand-in that answers at once (a modal dialog cannot be driven headless).
 */
public interface FilePicker {
  /** The capture to open; empty when the user cancels. */
  Optional<Path> toOpen(Window owner);

  /** The file to save to; empty when the user cancels. */
  Optional<Path> toSave(Window owner, String title, String suggestedName);

  /** The desktop's open and save dialogs, offering captures first, in the window's language. */
  static FilePicker dialogs(WindowLanguage words) {
    return new FilePicker() {
      @Override
      public Optional<Path> toOpen(Window owner) {
        return Optional.ofNullable(chooser(words.format("open.title")).showOpenDialog(owner)).map(File::toPath);
      }

      @Override
      public Optional<Path> toSave(Window owner, String title, String suggestedName) {
        FileChooser chooser = chooser(title);
        chooser.setInitialFileName(suggestedName);
        return Optional.ofNullable(chooser.showSaveDialog(owner)).map(File::toPath);
      }

      private FileChooser chooser(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(
            new FileChooser.ExtensionFilter(words.format("open.captures"), "*.pcapng", "*.pcap", "*.cap"),
            new FileChooser.ExtensionFilter(words.format("open.all"), "*"));
        return chooser;
      }
    };
  }
}
