package io.github.tuntaplab.tunlib.packet;

import java.util.List;

/** One protocol header (or the data after the last one) in a {@link Dissection}. Immutable. */
public final class Layer {
  private final Dissection dissection;
  private final int index;

  Layer(Dissection dissection, int index) {
    this.dissection = dissection;
    this.index = index;
  }

  /** The Wireshark protocol name: {@code eth}, {@code ip}, {@code udp}, {@code data}… */
  public String name() {
    return dissection.layerName(index);
  }

  /** The protocol's long name, e.g. "Internet Protocol Version 4". */
  public String label() {
    return dissection.layerLabel(index);
  }

  public int offset() {
    return dissection.layerOffset(index);
  }

  public int length() {
    return dissection.layerLength(index);
  }

  /** 0 for the outermost headers, one more inside each tunnel or quoted packet. */
  public int depth() {
    return dissection.layerDepth(index);
  }

  /** Why the bytes contradict themselves (e.g. a length beyond the packet); null when fine. */
  public String malformedReason() {
    return dissection.problem(index, 0);
  }

  /** Why the header stops early because the capture kept fewer bytes; null when it did not. */
  public String truncatedReason() {
    return dissection.problem(index, 1);
  }

  /** The top-level fields, in order. */
  public List<Field> fields() {
    return dissection.children(index, -1);
  }

  @Override
  public String toString() {
    return name() + "@" + offset() + "+" + length() + (depth() > 0 ? " depth " + depth() : "");
  }
}
