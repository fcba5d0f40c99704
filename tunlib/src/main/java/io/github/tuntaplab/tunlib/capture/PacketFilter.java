package io.github.tuntaplab.tunlib.capture;

import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.Closeable;
import java.util.Objects;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * A tcpdump filter expression ({@code udp port 4789}, {@code tcp[tcpflags] & tcp-syn != 0}),
 * compiled by libpcap ({@code pcap_compile}) for one link type and applied to captured bytes with
 * {@code pcap_offline_filter}: the same language and the same verdicts as tcpdump. Needs Debian's
 * {@code libpcap0.8}. Not thread-safe; close it to free the program.
 */
public final class PacketFilter implements Closeable {
  private final String expression;
  private final BpfProgram program;

  private PacketFilter(String expression, BpfProgram program) {
    this.expression = expression;
    this.program = program;
  }

  /**
   * Compiles {@code expression} for packets of {@code linkType}.
   *
   * @throws FilterException with libpcap's message (e.g. {@code unknown port 'x'}) when the
   *     expression is wrong, or when libpcap cannot be loaded
   */
  public static PacketFilter compile(LinkType linkType, int snapLength, String expression) throws FilterException {
    Objects.requireNonNull(linkType, "linkType");
    Objects.requireNonNull(expression, "expression");
    PcapHandle dead;
    try {
      // libpcap numbers link types by DLT_ value, which differs from the file's LINKTYPE_ for RAW.
      DataLinkType dlt = Pcaps.dataLinkNameToVal(linkType.name());
      dead = Pcaps.openDead(dlt, snapLength > 0 ? snapLength : 262_144);
    } catch (PcapNativeException | RuntimeException | LinkageError e) {
      throw new FilterException("cannot compile filters for link type " + linkType + ": " + e.getMessage(), e);
    }
    try {
      return new PacketFilter(expression,
          dead.compileFilter(expression, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN));
    } catch (PcapNativeException | NotOpenException e) {
      throw new FilterException(libpcapMessage(e.getMessage()), e);
    } finally {
      dead.close();
    }
  }

  /** Pcap4J prefixes libpcap's message with its own words; tcpdump shows libpcap's alone. */
  private static String libpcapMessage(String message) {
    if (message == null) {
      return "syntax error";
    }
    int colon = message.indexOf(": ");
    return colon >= 0 ? message.substring(colon + 2) : message;
  }

  /** Whether the packet ({@code capturedLength} of its {@code originalLength} bytes) passes. */
  public boolean matches(byte[] data, int capturedLength, int originalLength) {
    return program.applyFilter(data, originalLength, capturedLength);
  }

  public String expression() {
    return expression;
  }

  @Override
  public void close() {
    if (!program.isFreed()) {
      program.free();
    }
  }

  /** A filter expression libpcap refused, with its message. */
  public static final class FilterException extends Exception {
    private static final long serialVersionUID = 1L;

    FilterException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
