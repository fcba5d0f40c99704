package io.github.tuntaplab.tunlib.responder;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** tshark as the oracle: each frame of a capture as its fields, with every checksum verified. */
final class Tshark {
  private Tshark() {}

  /** One map per frame from field name to value; absent fields map to "", repeated ones are joined by ','. */
  static List<Map<String, String>> fields(Path capture, List<String> fields) {
    Prerequisites.requireTool("tshark");
    List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(),
        "-o", "ip.check_checksum:TRUE", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a"));
    for (String field : fields) {
      command.add("-e");
      command.add(field);
    }
    String out = Cmd.ok(command.toArray(String[]::new));
    List<Map<String, String>> frames = new ArrayList<>();
    for (String line : out.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      String[] values = line.split("\t", -1);
      Map<String, String> frame = new HashMap<>();
      for (int i = 0; i < fields.size(); i++) {
        frame.put(fields.get(i), i < values.length ? values[i] : "");
      }
      frames.add(frame);
    }
    return frames;
  }
}
