package io.github.tuntaplab.tunlib.packet;

import java.util.List;

/** One field of a {@link Layer}: a Wireshark name, its bytes in the frame, a value and a line of text. */
public final class Field {
  private final Dissection dissection;
  private final int index;
  private final int layer;

  Field(Dissection dissection, int index, int layer) {
    this.dissection = dissection;
    this.index = index;
    this.layer = layer;
  }

  /** The Wireshark field name, e.g. {@code ip.src}. */
  public String name() {
    return dissection.fieldName(index);
  }

  /** The first byte of the field, counted from the start of the frame. */
  public int offset() {
    return dissection.fieldOffset(index);
  }

  /** The bytes the field covers; a bit field covers the bytes its mask lies in. */
  public int length() {
    return dissection.fieldLength(index);
  }

  /** The field's bits within its bytes (e.g. 0x0fff for a VLAN ID), or null for whole bytes. */
  public Long mask() {
    long mask = dissection.mask(index);
    return mask == 0 ? null : mask;
  }

  /** A {@code Long} for numbers and flags, a {@code String} for addresses and names, else {@code byte[]}. */
  public Object value() {
    return dissection.value(index, layer);
  }

  /** The line Wireshark's tree would show, e.g. {@code Type: IPv4 (0x0800)}. */
  public String text() {
    return dissection.text(index, layer);
  }

  public List<Field> children() {
    return dissection.children(layer, index);
  }

  @Override
  public String toString() {
    return name() + "@" + offset() + "+" + length();
  }
}
