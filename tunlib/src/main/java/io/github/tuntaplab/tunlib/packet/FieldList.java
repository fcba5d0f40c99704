package io.github.tuntaplab.tunlib.packet;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The unmodifiable list every {@code fields()} and {@code children()} returns: one wrapper over an
 * exact array, and one class everywhere, so that loops over it stay cheap for the JIT.
 */
final class FieldList extends AbstractList<Field> implements RandomAccess {
  static final FieldList EMPTY = new FieldList(new Field[0]);

  private final Field[] fields;

  FieldList(Field[] fields) {
    this.fields = fields;
  }

  @Override
  public Field get(int index) {
    return fields[index];
  }

  @Override
  public int size() {
    return fields.length;
  }
}
