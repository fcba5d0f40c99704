package io.github.tuntaplab.tunlib.packet;

import java.util.Map;

/** The opcode of an ARP or RARP message. */
public final class ArpOperation extends NamedNumber {
  public static final ArpOperation REQUEST = new ArpOperation(1, "request");
  public static final ArpOperation REPLY = new ArpOperation(2, "reply");
  public static final ArpOperation REVERSE_REQUEST = new ArpOperation(3, "reverse request");
  public static final ArpOperation REVERSE_REPLY = new ArpOperation(4, "reverse reply");

  private static final Map<Integer, ArpOperation> KNOWN =
      index(REQUEST, REPLY, REVERSE_REQUEST, REVERSE_REPLY);

  private ArpOperation(int value, String name) {
    super(value, name);
  }

  public static ArpOperation of(int value) {
    ArpOperation known = KNOWN.get(value);
    return known != null ? known : new ArpOperation(value, "Unknown");
  }
}
