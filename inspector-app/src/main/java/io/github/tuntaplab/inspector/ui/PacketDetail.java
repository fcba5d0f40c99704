package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import java.util.List;
import java.util.Optional;

/**
 * A selected packet: its bytes, its dissection (the one truth about byte ranges that the tree, the
 * hex view and the tcpdump text share) and its tcpdump text.
 *
 * @param number the packet's index in the file, from 0
 * @param tcpdumpLine the {@code tcpdump -nn -e} line, timestamp included
 * @param hexDump the {@code -XX} dump lines under it
 */
public record PacketDetail(int number, CapturedPacket packet, byte[] data, Dissection dissection,
    String tcpdumpLine, String hexDump) {

  /** The smallest field (deepest in the tree) whose bytes hold {@code offset}, or empty past the last field. */
  public Optional<Field> fieldAt(int offset) {
    Field best = null;
    for (Layer layer : dissection.layers()) {
      if (offset < layer.offset() || offset >= layer.offset() + layer.length()) {
        continue;
      }
      Field inLayer = smallestAt(layer.fields(), offset);
      if (inLayer != null && (best == null || inLayer.length() <= best.length())) {
        best = inLayer;
      }
    }
    return Optional.ofNullable(best);
  }

  private static Field smallestAt(List<Field> fields, int offset) {
    for (Field field : fields) {
      if (field.length() > 0 && offset >= field.offset() && offset < field.offset() + field.length()) {
        Field child = smallestAt(field.children(), offset);
        return child != null ? child : field;
      }
    }
    return null;
  }

  /** The layer whose bytes hold {@code offset}; the innermost where layers nest. */
  public Optional<Layer> layerAt(int offset) {
    Layer found = null;
    for (Layer layer : dissection.layers()) {
      if (offset >= layer.offset() && offset < layer.offset() + layer.length()) {
        found = layer;
      }
    }
    return Optional.ofNullable(found);
  }
}
