package io.github.tuntaplab.tunlib.packet;

import java.util.Map;

/** The type of an ICMP (IPv4) message. */
public final class IcmpType extends NamedNumber {
  public static final IcmpType ECHO_REPLY = new IcmpType(0, "Echo (ping) reply");
  public static final IcmpType DESTINATION_UNREACHABLE = new IcmpType(3, "Destination unreachable");
  public static final IcmpType SOURCE_QUENCH = new IcmpType(4, "Source quench (flow control)");
  public static final IcmpType REDIRECT = new IcmpType(5, "Redirect");
  public static final IcmpType ECHO_REQUEST = new IcmpType(8, "Echo (ping) request");
  public static final IcmpType TIME_EXCEEDED = new IcmpType(11, "Time-to-live exceeded");
  public static final IcmpType PARAMETER_PROBLEM = new IcmpType(12, "Parameter problem");
  public static final IcmpType TIMESTAMP = new IcmpType(13, "Timestamp request");
  public static final IcmpType TIMESTAMP_REPLY = new IcmpType(14, "Timestamp reply");

  private static final Map<Integer, IcmpType> KNOWN = index(ECHO_REPLY, DESTINATION_UNREACHABLE,
      SOURCE_QUENCH, REDIRECT, ECHO_REQUEST, TIME_EXCEEDED, PARAMETER_PROBLEM, TIMESTAMP, TIMESTAMP_REPLY);

  private IcmpType(int value, String name) {
    super(value, name);
  }

  public static IcmpType of(int value) {
    IcmpType known = KNOWN.get(value);
    return known != null ? known : new IcmpType(value, "Unknown");
  }

  /** Whether the message quotes the offending packet after a 4-byte word (RFC 792). */
  public boolean quotesPacket() {
    return equals(DESTINATION_UNREACHABLE) || equals(SOURCE_QUENCH) || equals(REDIRECT)
        || equals(TIME_EXCEEDED) || equals(PARAMETER_PROBLEM);
  }
}
