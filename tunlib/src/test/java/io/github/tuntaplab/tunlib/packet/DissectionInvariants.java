package io.github.tuntaplab.tunlib.packet;

import java.util.ArrayList;
import java.util.List;

/** What must hold for any dissection of any bytes: every range inside what was captured and inside its parent. */
final class DissectionInvariants {
  private DissectionInvariants() {}

  /** The violations, empty when the dissection is sound. Walks the object tree (values and text too). */
  static List<String> violations(Dissection dissection) {
    List<String> problems = new ArrayList<>();
    int captured = dissection.capturedLength();
    for (Layer layer : dissection.layers()) {
      if (layer.offset() < 0 || layer.length() < 0 || layer.offset() + layer.length() > captured) {
        problems.add("layer " + layer + " outside the " + captured + " captured bytes");
      }
      check(problems, layer.fields(), layer.offset(), layer.offset() + layer.length(), "layer " + layer);
    }
    return problems;
  }

  private static void check(List<String> problems, List<Field> fields, int start, int end, String parent) {
    for (Field field : fields) {
      if (field.length() <= 0 || field.offset() < start || field.offset() + field.length() > end) {
        problems.add(field + " outside its parent " + parent + " [" + start + ", " + end + ")");
      }
      if (field.text() == null || field.name() == null) {
        problems.add(field + " has no text");
      }
      field.value();
      check(problems, field.children(), field.offset(), field.offset() + field.length(), field.toString());
    }
  }
}
