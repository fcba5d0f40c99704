package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.ActionResult;
import io.github.tuntaplab.lessons.lesson.Evidence.SourcePacket;
import io.github.tuntaplab.tunlib.NativeCallException;
import io.github.tuntaplab.tunlib.net.Link;
import io.github.tuntaplab.tunlib.net.Route;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A claim a lesson checks on the live lab, written as one line of a {@code check} block (the
 * grammar is in {@code lessons/README.md}). {@link #check} looks at the packets, the kernel and the
 * last command and says what it expected and what it saw.
 */
public sealed interface Checkpoint {
  /** The line as the lesson writes it. */
  String text();

  Verdict check(Evidence evidence) throws IOException;

  /** The devices it names. */
  default List<LinkRef> links() {
    return List.of();
  }

  /** The namespace roles it names. */
  default List<String> roles() {
    return links().stream().flatMap(link -> link.role().stream()).toList();
  }

  /** Reads one checkpoint line; a mistake is an {@link IllegalArgumentException} saying what is expected. */
  static Checkpoint parse(String line) {
    String text = line.strip();
    String[] head = text.split("\\s+", 2);
    String rest = head.length > 1 ? head[1] : "";
    return switch (head[0]) {
      case "seen" -> new Seen(text, source(rest), filter(rest));
      case "never" -> new Never(text, source(rest), filter(rest));
      case "order" -> {
        String[] filters = filter(rest).split(" then ", 2);
        if (filters.length != 2) {
          throw new IllegalArgumentException("'" + text + "': order SOURCE: FILTER then FILTER");
        }
        yield new Order(text, source(rest), filters[0].strip(), filters[1].strip());
      }
      case "same" -> {
        String[] sources = before(rest).split(" and ", 2);
        if (sources.length != 2) {
          throw new IllegalArgumentException("'" + text + "': same SOURCE[+N] and SOURCE[+M]: FILTER");
        }
        yield new Same(text, PacketSource.parse(sources[0].strip()), PacketSource.parse(sources[1].strip()),
            filter(rest));
      }
      case "bytes" -> {
        Matcher m = matcher("(.+) are ([0-9a-fA-F ]+)", before(rest), text, "bytes SOURCE[+N] are HEX: FILTER");
        yield new Bytes(text, PacketSource.parse(m.group(1)), HexFormat.of().parseHex(m.group(2).replace(" ", "")),
            filter(rest));
      }
      case "nibble" -> {
        Matcher m = matcher("(.+) is ([0-9a-fA-F])", before(rest), text, "nibble SOURCE[+N] is DIGIT: FILTER");
        yield new Nibble(text, PacketSource.parse(m.group(1)), Integer.parseInt(m.group(2), 16), filter(rest));
      }
      case "route" -> {
        Matcher m = matcher("in (\\S+) to (\\S+): (?:dev (\\S+)|(unreachable))", rest, text,
            "route in ROLE to ADDRESS: dev LINK | unreachable");
        yield new RouteTo(text, m.group(1), m.group(2), Optional.ofNullable(m.group(3)));
      }
      case "carried", "hidden" -> {
        String usage = head[0].equals("carried") ? "carried SOURCE in SOURCE[+N]: FILTER" : "hidden SOURCE in SOURCE: FILTER";
        String[] sources = before(rest).split(" in ", 2);
        if (sources.length != 2) {
          throw new IllegalArgumentException("'" + text + "': " + usage);
        }
        PacketSource carrier = PacketSource.parse(sources[1].strip());
        if (head[0].equals("hidden") && carrier.offset() != 0) {
          throw new IllegalArgumentException("'" + text + "': " + usage + " (hidden looks at every offset)");
        }
        yield new Carried(text, PacketSource.parse(sources[0].strip()), carrier, filter(rest),
            head[0].equals("hidden"));
      }
      case "mtu" -> {
        Matcher m = matcher("of (\\S+): (\\d+)", rest, text, "mtu of LINK: BYTES");
        yield new Mtu(text, LinkRef.parse(m.group(1)), Integer.parseInt(m.group(2)));
      }
      case "flags" -> {
        Matcher m = matcher("of (\\S+): ([A-Z_ ]+)", rest, text, "flags of LINK: FLAG...");
        yield new Flags(text, LinkRef.parse(m.group(1)), List.of(m.group(2).strip().split("\\s+")));
      }
      case "exit" -> new Exit(text, Integer.parseInt(matcher("-?\\d+", rest, text, "exit CODE").group()));
      case "output" -> new OutputHas(text, matcher("has (.+)", rest, text, "output has TEXT").group(1));
      default -> throw new IllegalArgumentException("unknown checkpoint '" + head[0]
          + "' (known: seen, never, order, same, carried, hidden, bytes, nibble, route, flags, mtu, exit, output)");
    };
  }

  private static String before(String rest) {
    int colon = rest.indexOf(": ");
    if (colon < 0) {
      throw new IllegalArgumentException("'" + rest + "' needs ': FILTER' at its end");
    }
    return rest.substring(0, colon).strip();
  }

  private static PacketSource source(String rest) {
    return PacketSource.parse(before(rest));
  }

  private static String filter(String rest) {
    before(rest);
    String filter = rest.substring(rest.indexOf(": ") + 2).strip();
    if (filter.isEmpty()) {
      throw new IllegalArgumentException("'" + rest + "' has an empty filter");
    }
    return filter;
  }

  private static Matcher matcher(String regex, String input, String text, String usage) {
    Matcher m = Pattern.compile(regex).matcher(input.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "': " + usage);
    }
    return m;
  }

  /** Describes what was captured on a source when the expected packet is missing. */
  private static Message sawInstead(Evidence evidence, PacketSource source) {
    List<SourcePacket> all = evidence.packets(source);
    if (all.isEmpty()) {
      return Message.of("verdict.nothing", source.said());
    }
    return Message.of(all.size() == 1 ? "verdict.none.among.one" : "verdict.none.among", all.size(), source.said(),
        lines(all));
  }

  /** The first three packets' tcpdump lines, each on a line of its own. */
  private static String lines(List<SourcePacket> packets) {
    return packets.stream().limit(3).map(p -> "\n      " + Evidence.line(p)).reduce("", String::concat);
  }

  private static Optional<SourcePacket> first(Evidence evidence, PacketSource source, String filter) {
    return evidence.matching(source, filter).stream().findFirst();
  }

  private static Message hex(byte[] bytes, int from, int count) {
    int end = Math.min(bytes.length, from + count);
    return from >= end ? Message.of("verdict.hex.nothing")
        : Message.verbatim(HexFormat.ofDelimiter(" ").formatHex(bytes, from, end));
  }

  /** A checkpoint about the packets of one source. */
  sealed interface OnPackets extends Checkpoint permits Seen, Never, Order, Bytes, Nibble {
    PacketSource source();

    @Override
    default List<LinkRef> links() {
      return List.of(source().link());
    }
  }

  /** libpcap's word when the filter can never match on the source's link type ({@code arp} on a TUN). */
  private static Optional<Message> cannotMatch(Evidence evidence, PacketSource source, String filter) {
    return evidence.rejectsAll(source, filter) ? Optional.of(Message.of("verdict.libpcap", filter,
        Message.of("verdict.libpcap.rejects"), evidence.device(source.link()).linkType())) : Optional.empty();
  }

  /** At least one packet of the source matches. */
  record Seen(String text, PacketSource source, String filter) implements OnPackets {
    @Override
    public Verdict check(Evidence evidence) {
      List<SourcePacket> hits = evidence.matching(source, filter);
      if (hits.isEmpty()) {
        Optional<Message> impossible = cannotMatch(evidence, source, filter);
        return impossible.isPresent()
            ? Verdict.fail("verdict.seen.fail.impossible", filter, source.said(), impossible.get(),
                sawInstead(evidence, source))
            : Verdict.fail("verdict.seen.fail", filter, source.said(), sawInstead(evidence, source));
      }
      return Verdict.pass("verdict.seen.pass", hits.size(), Evidence.line(hits.get(0)));
    }
  }

  /** No packet of the source matches. */
  record Never(String text, PacketSource source, String filter) implements OnPackets {
    @Override
    public Verdict check(Evidence evidence) {
      List<SourcePacket> hits = evidence.matching(source, filter);
      if (!hits.isEmpty()) {
        return Verdict.fail("verdict.never.fail", filter, source.said(), hits.size(), Evidence.line(hits.get(0)));
      }
      int all = evidence.packets(source).size();
      return cannotMatch(evidence, source, filter)
          .map(impossible -> Verdict.pass("verdict.never.pass.impossible", all, source.said(), impossible))
          .orElseGet(() -> Verdict.pass("verdict.never.pass", all, source.said()));
    }
  }

  /** The first packet matching {@code earlier} comes before the first matching {@code later}. */
  record Order(String text, PacketSource source, String earlier, String later) implements OnPackets {
    @Override
    public Verdict check(Evidence evidence) {
      List<SourcePacket> all = evidence.packets(source);
      Optional<SourcePacket> a = first(evidence, source, earlier);
      Optional<SourcePacket> b = first(evidence, source, later);
      Message expected = Message.of("verdict.order.expected", earlier, later, source.said());
      if (a.isEmpty()) {
        return b.map(other -> Verdict.fail("verdict.order.no.earlier.other", expected, earlier, Evidence.line(other)))
            .orElseGet(() -> Verdict.fail("verdict.order.no.earlier", expected, earlier));
      }
      if (b.isEmpty()) {
        return Verdict.fail("verdict.order.no.later", expected, later, Evidence.line(a.get()));
      }
      int ia = all.stream().map(SourcePacket::packet).toList().indexOf(a.get().packet());
      int ib = all.stream().map(SourcePacket::packet).toList().indexOf(b.get().packet());
      String both = "\n      " + Evidence.line(ia < ib ? a.get() : b.get()) + "\n      "
          + Evidence.line(ia < ib ? b.get() : a.get());
      return ia < ib ? Verdict.pass("verdict.order.pass", both)
          : Verdict.fail("verdict.order.reversed", expected, both);
    }
  }

  /** The first matching packets of two sources, each from its offset on, are the same bytes. */
  record Same(String text, PacketSource one, PacketSource other, String filter) implements Checkpoint {
    @Override
    public List<LinkRef> links() {
      return List.of(one.link(), other.link());
    }

    @Override
    public Verdict check(Evidence evidence) {
      Optional<SourcePacket> a = first(evidence, one, filter);
      Optional<SourcePacket> b = first(evidence, other, filter);
      if (a.isEmpty() || b.isEmpty()) {
        PacketSource missing = a.isEmpty() ? one : other;
        return Verdict.fail("verdict.same.missing", filter, one.said(), other.said(), sawInstead(evidence, missing));
      }
      byte[] x = a.get().bytes();
      byte[] y = b.get().bytes();
      int lengthX = Math.max(0, x.length - one.offset());
      int lengthY = Math.max(0, y.length - other.offset());
      Message expected = Message.of("verdict.same.expected", one.said(), one.offset(), other.said(), other.offset());
      if (lengthX != lengthY) {
        return Verdict.fail("verdict.same.lengths", expected, lengthX, lengthY, x.length, y.length);
      }
      int mismatch = Arrays.mismatch(x, one.offset(), x.length, y, other.offset(), y.length);
      if (mismatch >= 0) {
        return Verdict.fail("verdict.same.differ", expected, mismatch, hex(x, one.offset() + mismatch, 4),
            hex(y, other.offset() + mismatch, 4));
      }
      return Verdict.pass("verdict.same.pass", lengthX, skipped(a.get(), one), skipped(b.get(), other));
    }

    private static Message skipped(SourcePacket packet, PacketSource source) {
      if (source.offset() == 0) {
        return Message.verbatim("");
      }
      return Message.of("verdict.same.skipped", source.offset(),
          new PacketSource(source.link(), source.read(), 0).said(),
          Evidence.fieldsIn(packet, source.read(), 0, source.offset()));
    }
  }

  /**
   * The first packet of {@code inner} matching the filter travels inside a packet of {@code carrier}:
   * its bytes appear there whole, from the carrier's offset on (or anywhere when it gives none). With
   * {@code hidden} the claim is the opposite: no packet of the carrier contains those bytes anywhere.
   */
  record Carried(String text, PacketSource inner, PacketSource carrier, String filter, boolean hidden)
      implements Checkpoint {
    @Override
    public List<LinkRef> links() {
      return List.of(inner.link(), carrier.link());
    }

    @Override
    public Verdict check(Evidence evidence) {
      Optional<SourcePacket> first = first(evidence, inner, filter);
      Message what = Message.of("verdict.carried.what", filter, inner.said());
      if (first.isEmpty()) {
        return Verdict.fail(hidden ? "verdict.hidden.missing" : "verdict.carried.missing", what, carrier.said(),
            sawInstead(evidence, inner));
      }
      byte[] packet = first.get().bytes();
      Message described = Message.of("verdict.carried.described", what, packet.length, Evidence.line(first.get()));
      List<SourcePacket> carriers = evidence.packets(carrier);
      for (SourcePacket candidate : carriers) {
        int at = find(candidate.bytes(), packet);
        if (at >= 0) {
          Message where = Message.of("verdict.carried.where",
              new PacketSource(carrier.link(), carrier.read(), 0, carrier.decrypted()).said(),
              Evidence.line(candidate), at,
              at > 0 ? Message.of("verdict.carried.after", Evidence.headersBefore(candidate, at)) : Message.verbatim(""),
              trailer(candidate.bytes().length - at - packet.length));
          return hidden ? Verdict.fail("verdict.hidden.fail", described, carrier.said(), where)
              : new Verdict(true, where);
        }
      }
      Message none = Message.of(carriers.size() == 1 ? "verdict.carried.none.one" : "verdict.carried.none",
          carriers.size(), carrier.said(), packet.length, hidden || carrier.offset() == 0 ? Message.verbatim("")
              : Message.of("verdict.carried.from", carrier.offset()));
      return hidden ? new Verdict(true, none)
          : Verdict.fail("verdict.carried.fail", described, carrier.said(), none, lines(carriers));
    }

    /** Where {@code wanted} lies in {@code bytes}: at the carrier's offset, or anywhere when it has none. */
    private int find(byte[] bytes, byte[] wanted) {
      if (carrier.offset() != 0 && !hidden) {
        int end = carrier.offset() + wanted.length;
        return end <= bytes.length && Arrays.equals(bytes, carrier.offset(), end, wanted, 0, wanted.length)
            ? carrier.offset() : -1;
      }
      for (int at = 0; at + wanted.length <= bytes.length; at++) {
        if (Arrays.equals(bytes, at, at + wanted.length, wanted, 0, wanted.length)) {
          return at;
        }
      }
      return -1;
    }

    private static Message trailer(int bytes) {
      return bytes == 0 ? Message.verbatim("")
          : Message.of(bytes == 1 ? "verdict.carried.trailer.one" : "verdict.carried.trailer", bytes);
    }
  }

  /** The first matching packet has these bytes at the source's offset. */
  record Bytes(String text, PacketSource source, byte[] expected, String filter) implements OnPackets {
    @Override
    public Verdict check(Evidence evidence) {
      Optional<SourcePacket> packet = first(evidence, source, filter);
      Message expectation = Message.of("verdict.bytes.expected", hex(expected, 0, expected.length), source.offset(),
          filter, source.said());
      if (packet.isEmpty()) {
        return Verdict.fail("verdict.join", expectation, sawInstead(evidence, source));
      }
      byte[] bytes = packet.get().bytes();
      Message seen = hex(bytes, source.offset(), expected.length);
      boolean equal = bytes.length >= source.offset() + expected.length
          && Arrays.equals(bytes, source.offset(), source.offset() + expected.length, expected, 0, expected.length);
      return equal ? Verdict.pass("verdict.bytes.pass", source.offset(), source.offset() + expected.length - 1, seen,
          Evidence.fieldsIn(packet.get(), source.read(), source.offset(), source.offset() + expected.length))
          : Verdict.fail("verdict.bytes.fail", expectation, seen);
    }
  }

  /** The first matching packet's byte at the offset has this high nibble: the one-nibble IP version test. */
  record Nibble(String text, PacketSource source, int nibble, String filter) implements OnPackets {
    @Override
    public Verdict check(Evidence evidence) {
      Optional<SourcePacket> packet = first(evidence, source, filter);
      Message expectation = Message.of("verdict.nibble.expected", source.offset(), nibble, filter, source.said());
      if (packet.isEmpty()) {
        return Verdict.fail("verdict.join", expectation, sawInstead(evidence, source));
      }
      byte[] bytes = packet.get().bytes();
      if (bytes.length <= source.offset()) {
        return Verdict.fail("verdict.nibble.short", expectation, bytes.length);
      }
      int value = bytes[source.offset()] & 0xff;
      Message seen = Message.of("verdict.nibble.seen", source.offset(), value, value >> 4);
      return value >> 4 == nibble ? new Verdict(true, seen) : Verdict.fail("verdict.join", expectation, seen);
    }
  }

  /** The kernel's route lookup for an address chooses a device, or finds no route. */
  record RouteTo(String text, String role, String address, Optional<String> device) implements Checkpoint {
    @Override
    public List<String> roles() {
      return List.of(role);
    }

    @Override
    public Verdict check(Evidence evidence) throws IOException {
      String namespace = evidence.namespace(role);
      Message expected = device.map(d -> Message.of("verdict.route.expected", namespace, address, d))
          .orElseGet(() -> Message.of("verdict.route.expected.none", namespace, address));
      Route chosen;
      try {
        chosen = evidence.lookup(role, address);
      } catch (NativeCallException e) {
        Message failure = Message.of("verdict.route.fails", address, e.getMessage());
        return device.isEmpty() ? new Verdict(true, failure) : Verdict.fail("verdict.join", expected, failure);
      }
      Message route = Message.of("verdict.route.chose", Evidence.lookupText(chosen));
      return device.isPresent() && chosen.device().equals(device) ? new Verdict(true, route)
          : Verdict.fail("verdict.join", expected, route);
    }
  }

  /** The link has all these flags, as {@code ip link} names them. */
  record Flags(String text, LinkRef link, List<String> flags) implements Checkpoint {
    @Override
    public List<LinkRef> links() {
      return List.of(link);
    }

    @Override
    public Verdict check(Evidence evidence) throws IOException {
      Link state = evidence.link(link);
      List<String> names = state.flags().names();
      Message seen = Message.of("verdict.flags.seen", link, String.join(",", names),
          state.mac().map(mac -> Message.of("verdict.flags.mac", mac))
              .orElseGet(() -> Message.of("verdict.flags.no.mac")));
      return names.containsAll(flags) ? new Verdict(true, seen)
          : Verdict.fail("verdict.flags.fail", link, String.join(" ", flags), seen);
    }
  }

  /** The link's MTU, as {@code ip link} shows it. */
  record Mtu(String text, LinkRef link, int mtu) implements Checkpoint {
    @Override
    public List<LinkRef> links() {
      return List.of(link);
    }

    @Override
    public Verdict check(Evidence evidence) throws IOException {
      int seen = evidence.link(link).mtu();
      return seen == mtu ? Verdict.pass("verdict.mtu.pass", link, seen)
          : Verdict.fail("verdict.mtu.fail", link, mtu, seen);
    }
  }

  /** The step's last command exited with this code. */
  record Exit(String text, int code) implements Checkpoint {
    @Override
    public Verdict check(Evidence evidence) {
      Optional<ActionResult> last = evidence.lastCommand();
      if (last.isEmpty()) {
        return Verdict.fail("verdict.exit.none", code);
      }
      ActionResult result = last.get();
      String command = result.command().get(result.command().size() - 1);
      Message seen = result.timedOut() ? Message.of("verdict.exit.killed", command)
          : Message.of("verdict.exit.seen", command, result.exitCode());
      return result.exitCode() == code && !result.timedOut() ? new Verdict(true, seen)
          : Verdict.fail("verdict.exit.fail", code, seen, lastLines(result.output()));
    }

    private static Message lastLines(String output) {
      List<String> lines = output.strip().lines().toList();
      return lines.isEmpty() ? Message.verbatim("") : Message.of("verdict.exit.printing",
          String.join(" / ", lines.subList(Math.max(0, lines.size() - 2), lines.size())));
    }
  }

  /** The step's last command printed this text. */
  record OutputHas(String text, String expected) implements Checkpoint {
    @Override
    public Verdict check(Evidence evidence) {
      Optional<ActionResult> last = evidence.lastCommand();
      if (last.isEmpty()) {
        return Verdict.fail("verdict.output.none", expected);
      }
      String output = last.get().output();
      return output.contains(expected) ? Verdict.pass("verdict.output.pass", expected)
          : Verdict.fail("verdict.output.fail", expected, output.strip());
    }
  }
}
