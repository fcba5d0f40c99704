package io.github.tuntaplab.tunlib.packet;

import static io.github.tuntaplab.tunlib.packet.Parser.L_DEPTH;
import static io.github.tuntaplab.tunlib.packet.Parser.L_END;
import static io.github.tuntaplab.tunlib.packet.Parser.L_FIRST;
import static io.github.tuntaplab.tunlib.packet.Parser.L_INTS;
import static io.github.tuntaplab.tunlib.packet.Parser.L_LENGTH;
import static io.github.tuntaplab.tunlib.packet.Parser.L_NAME;
import static io.github.tuntaplab.tunlib.packet.Parser.L_OFFSET;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One packet taken apart: its layers in order (depth 0 = outermost, one more per encapsulation or
 * quoted packet), each with fields and sub-fields, every one with its offset and length in the
 * frame. Immutable. Built from flat arrays; {@link Layer} and {@link Field} objects exist only once
 * asked for, and the flat accessors ({@link #fieldCount()}, {@link #fieldOffset(int)}…) walk every
 * range without creating any.
 */
public final class Dissection {
  private final LinkType linkType;
  private final byte[] data;
  private final int base;
  private final int capturedLength;
  private final int originalLength;
  /** Per field: offset (24 bits), length (24), spec id (10), tree level within its layer (6). */
  private final long[] fields;
  private final int[] layers;
  /** Per layer: malformed reason, truncated reason; null when the packet had no problem at all. */
  private final String[] problems;
  private List<Layer> layerList;

  Dissection(LinkType linkType, byte[] data, int base, int capturedLength, int originalLength,
      long[] fields, int[] layers, String[] problems) {
    this.linkType = linkType;
    this.data = data;
    this.base = base;
    this.capturedLength = capturedLength;
    this.originalLength = originalLength;
    this.fields = fields;
    this.layers = layers;
    this.problems = problems;
  }

  public LinkType linkType() {
    return linkType;
  }

  /** The bytes dissected (the captured length as given, cut to the array). */
  public int capturedLength() {
    return capturedLength;
  }

  public int originalLength() {
    return originalLength;
  }

  public List<Layer> layers() {
    List<Layer> list = layerList;
    if (list == null) {
      Layer[] all = new Layer[layerCount()];
      for (int i = 0; i < all.length; i++) {
        all[i] = new Layer(this, i);
      }
      list = List.of(all);
      layerList = list;
    }
    return list;
  }

  /** Whether any layer is malformed: the packet contradicts itself or is shorter than it says. */
  public boolean isMalformed() {
    if (problems != null) {
      for (int i = 0; i < problems.length; i += 2) {
        if (problems[i] != null) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the capture kept fewer bytes than a header needs (a snapshot length), with no malformation. */
  public boolean isTruncated() {
    if (problems != null) {
      for (int i = 1; i < problems.length; i += 2) {
        if (problems[i] != null) {
          return true;
        }
      }
    }
    return false;
  }

  /** The first field (in tree order, sub-fields included) with this Wireshark name. */
  public Optional<Field> field(String wiresharkName) {
    int spec = FieldSpec.idOf(wiresharkName);
    if (spec >= 0) {
      for (int i = 0; i < fields.length; i++) {
        if (specOf(i) == spec) {
          return Optional.of(new Field(this, i, layerOf(i)));
        }
      }
    }
    return Optional.empty();
  }

  /** Every field with this Wireshark name, in tree order. */
  public List<Field> fields(String wiresharkName) {
    int spec = FieldSpec.idOf(wiresharkName);
    List<Field> found = new ArrayList<>();
    for (int i = 0; spec >= 0 && i < fields.length; i++) {
      if (specOf(i) == spec) {
        found.add(new Field(this, i, layerOf(i)));
      }
    }
    return found;
  }

  // ---- flat access: every range without creating objects ----

  public int fieldCount() {
    return fields.length;
  }

  public int fieldOffset(int index) {
    return (int) (fields[index] & 0xffffff);
  }

  public int fieldLength(int index) {
    return (int) (fields[index] >>> 24 & 0xffffff);
  }

  public String fieldName(int index) {
    return FieldSpec.of(specOf(index)).name;
  }

  /** How deep in its layer's tree the field sits: 0 for a top-level field. */
  public int fieldLevel(int index) {
    return (int) (fields[index] >>> 58);
  }

  public int layerCount() {
    return layers.length / L_INTS;
  }

  /** The name of layer {@code layer} (0 = outermost), as {@link Layer#name()}. */
  public String layerName(int layer) {
    return FieldSpec.of(layers[layer * L_INTS + L_NAME]).name;
  }

  public int layerOffset(int layer) {
    return layers[layer * L_INTS + L_OFFSET];
  }

  public int layerLength(int layer) {
    return layers[layer * L_INTS + L_LENGTH];
  }

  /** The index of the layer's first field; its fields (sub-fields included) end before {@link #endField}. */
  public int firstField(int layer) {
    return layers[layer * L_INTS + L_FIRST];
  }

  public int endField(int layer) {
    return layers[layer * L_INTS + L_END];
  }

  // ---- for Layer and Field ----

  int specOf(int field) {
    return (int) (fields[field] >>> 48 & 0x3ff);
  }

  int layerInt(int layer, int what) {
    return layers[layer * L_INTS + what];
  }

  String layerLabel(int layer) {
    return FieldSpec.of(layers[layer * L_INTS + L_NAME]).label;
  }

  int layerDepth(int layer) {
    return layers[layer * L_INTS + L_DEPTH];
  }

  String problem(int layer, int which) {
    return problems == null ? null : problems[layer * 2 + which];
  }

  private int layerOf(int field) {
    for (int layer = layerCount() - 1; layer >= 0; layer--) {
      if (firstField(layer) <= field) {
        return layer;
      }
    }
    return 0;
  }

  /** The fields one level below {@code parent} ({@code -1}: the layer's top-level fields). */
  List<Field> children(int layer, int parent) {
    int start = parent < 0 ? firstField(layer) : parent + 1;
    int childLevel = parent < 0 ? 0 : fieldLevel(parent) + 1;
    int stop = endField(layer);
    int count = 0;
    int last = start;
    for (; last < stop; last++) {
      int level = fieldLevel(last);
      if (level < childLevel) {
        break;
      }
      count += level == childLevel ? 1 : 0;
    }
    if (count == 0) {
      return FieldList.EMPTY;
    }
    Field[] children = new Field[count];
    for (int i = start, n = 0; i < last; i++) {
      if (fieldLevel(i) == childLevel) {
        children[n++] = new Field(this, i, layer);
      }
    }
    return new FieldList(children);
  }

  Object value(int field, int layer) {
    FieldSpec spec = FieldSpec.of(specOf(field));
    return spec.value(data, base + fieldOffset(field), fieldLength(field),
        base + layerOffset(layer), base + layerOffset(layer) + layerLength(layer));
  }

  String text(int field, int layer) {
    FieldSpec spec = FieldSpec.of(specOf(field));
    return spec.text(data, base + fieldOffset(field), fieldLength(field),
        base + layerOffset(layer), base + layerOffset(layer) + layerLength(layer));
  }

  long mask(int field) {
    return FieldSpec.of(specOf(field)).mask;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Layer layer : layers()) {
      out.append(out.length() == 0 ? "" : " / ").append(layer.name());
      if (layer.malformedReason() != null) {
        out.append(" [malformed: ").append(layer.malformedReason()).append(']');
      }
      if (layer.truncatedReason() != null) {
        out.append(" [truncated: ").append(layer.truncatedReason()).append(']');
      }
    }
    return out.toString();
  }
}
