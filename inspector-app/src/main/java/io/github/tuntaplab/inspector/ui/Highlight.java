package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;

/**
 * The bytes highlighted in the hex view: a field's or a whole layer's.
 *
 * @param name the field's Wireshark name, or the layer's protocol name
 * @param mask the field's bits within its bytes, or null for whole bytes
 */
public record Highlight(String name, int offset, int length, Long mask) {
  static Highlight of(Field field) {
    return new Highlight(field.name(), field.offset(), field.length(), field.mask());
  }

  static Highlight of(Layer layer) {
    return new Highlight(layer.name(), layer.offset(), layer.length(), null);
  }

  /** "eth.type, bytes 12–13 (2 bytes)", with the bits of a bit field. */
  Phrase describe() {
    String bytes = length == 1 ? "highlight.byte" : "highlight.bytes";
    int last = offset + length - 1;
    return mask == null ? Phrase.of(bytes, name, offset, last, length)
        : Phrase.of(bytes + ".bits", name, offset, last, length, String.format("0x%x", mask));
  }
}
