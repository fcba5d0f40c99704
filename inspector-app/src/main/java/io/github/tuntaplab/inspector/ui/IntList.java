package io.github.tuntaplab.inspector.ui;

import java.util.Arrays;

/**
 * A growing list of ints (packet numbers), 4 bytes each. One thread appends; others read below a
 * size they were handed through a happens-before edge (Platform.runLater), so the array they see
 * holds every slot below it.
 */
final class IntList {
  private volatile int[] values;
  private volatile int size;

  IntList(int capacity) {
    values = new int[Math.max(16, capacity)];
  }

  void add(int value) {
    int count = size;
    if (count == values.length) {
      values = Arrays.copyOf(values, count + (count >> 1));
    }
    values[count] = value;
    size = count + 1;
  }

  int get(int index) {
    return values[index];
  }

  int size() {
    return size;
  }

  /** Drops the spare capacity once the list is complete. */
  void trim() {
    if (values.length != size) {
      values = Arrays.copyOf(values, size);
    }
  }

  /** The position of {@code value} in this ascending list, or -1. */
  int indexOf(int value) {
    int found = Arrays.binarySearch(values, 0, size, value);
    return found < 0 ? -1 : found;
  }
}
