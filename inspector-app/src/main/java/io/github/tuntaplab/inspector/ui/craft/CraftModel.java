package io.github.tuntaplab.inspector.ui.craft;

import io.github.tuntaplab.inspector.ui.PaneKind;
import io.github.tuntaplab.inspector.ui.Phrase;
import io.github.tuntaplab.inspector.ui.WindowLanguage;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.tunlib.net.MacAddress;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.packet.PacketEditor;
import io.github.tuntaplab.tunlib.packet.PacketTemplates;
import io.github.tuntaplab.tunlib.text.TcpdumpOptions;
import io.github.tuntaplab.tunlib.text.TcpdumpPrinter;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

/**
 * The packet being crafted: where it starts (a template or a copy of a captured packet), its
 * fields as the student edits them (lengths and checksums kept right by tunlib's
 * {@link PacketEditor}, except those pinned), and the TUN or TAP it goes into through the lab.
 * The packet then comes back in the capture like any other.
 */
public final class CraftModel {
  /** The starting points offered. */
  public enum Template {
    ICMP_ECHO_V4,
    ICMP_ECHO_V6,
    UDP_V4,
    UDP_V6,
    ARP_REQUEST;

    /** What the template makes, e.g. "ICMP echo request (IPv4)". */
    public Phrase label() {
      return Phrase.of("craft.template." + name());
    }
  }

  /** The lengths and checksums PacketEditor keeps right; pinning one keeps the student's value. */
  public static final List<String> COMPUTED = List.of("ip.len", "ip.checksum", "ipv6.plen", "udp.length",
      "udp.checksum", "tcp.checksum", "icmp.checksum", "icmpv6.checksum");

  private static final Dissector DISSECTOR = Dissector.standard();
  private static final int IDENTIFIER = 0x7474; // "tt"
  private static final int UDP_PORT = 9; // discard: nobody answers, the kernel sends port unreachable
  private static final byte[] PAYLOAD = "TunTap Lab".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final Supplier<LabClient> lab;
  private final Executor background;
  private final ObservableList<CraftTarget> targets = FXCollections.observableArrayList();
  private final ObjectProperty<CraftTarget> target = new SimpleObjectProperty<>(this, "target");
  private final ObservableSet<String> pinned = FXCollections.observableSet();
  private final ReadOnlyObjectWrapper<byte[]> packet = new ReadOnlyObjectWrapper<>(this, "packet");
  private final ReadOnlyObjectWrapper<LinkType> linkType = new ReadOnlyObjectWrapper<>(this, "linkType");
  private final ReadOnlyObjectWrapper<Dissection> dissection = new ReadOnlyObjectWrapper<>(this, "dissection");
  private final ReadOnlyStringWrapper tcpdump = new ReadOnlyStringWrapper(this, "tcpdump", "");
  private final WindowLanguage.Line message;
  private int sequence;

  public CraftModel(Supplier<LabClient> lab, Executor background, WindowLanguage words) {
    this.lab = lab;
    this.background = background;
    this.message = words.line(Phrase.verbatim(""));
    target.addListener((o, was, now) -> {
      if (packet.get() != null && now != null) {
        fitTo(now);
      }
    });
  }

  /** The devices a packet can go into; set from the lab's topology. */
  public ObservableList<CraftTarget> targets() {
    return targets;
  }

  public ObjectProperty<CraftTarget> targetProperty() {
    return target;
  }

  /** Wireshark names of the fields whose value the student keeps ({@link #COMPUTED} ones matter). */
  public ObservableSet<String> pinned() {
    return pinned;
  }

  public ReadOnlyObjectProperty<byte[]> packetProperty() {
    return packet.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<LinkType> linkTypeProperty() {
    return linkType.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<Dissection> dissectionProperty() {
    return dissection.getReadOnlyProperty();
  }

  /** The packet as tcpdump prints it, line and {@code -XX} dump. */
  public ReadOnlyStringProperty tcpdumpProperty() {
    return tcpdump.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty messageProperty() {
    return message.textProperty();
  }

  /** Uses {@code devices} as the targets, keeping the chosen one if it is still there. */
  public void setTargets(List<CraftTarget> devices) {
    CraftTarget chosen = target.get();
    targets.setAll(devices);
    target.set(devices.stream().filter(d -> chosen != null && d.link().equals(chosen.link())
        && d.role().equals(chosen.role())).findFirst().orElse(devices.isEmpty() ? null : devices.get(0)));
  }

  /**
   * Starts from a template addressed for the chosen device: from its responder to the kernel behind
   * it, so the kernel answers (an echo reply, an ARP reply, a port unreachable).
   */
  public void start(Template template) {
    CraftTarget device = target.get();
    if (device == null) {
      message.set("craft.no.target");
      return;
    }
    boolean v6 = template == Template.ICMP_ECHO_V6 || template == Template.UDP_V6;
    if (template == Template.ARP_REQUEST) {
      if (!device.isTap()) {
        message.set("craft.arp.needs.tap");
        return;
      }
      set(LinkType.ETHERNET, PacketTemplates.arpRequest(device.responderMac().orElseThrow(),
          device.responderAddress(false).orElseThrow(), device.kernelAddress(false).orElseThrow()));
      message.set("craft.arp", device.kernelAddress(false).get().getHostAddress());
      return;
    }
    InetAddress from = device.responderAddress(v6).orElse(null);
    InetAddress to = device.kernelAddress(v6).orElse(null);
    if (from == null || to == null) {
      message.set("craft.no.address", device.link(), v6 ? "IPv6" : "IPv4");
      return;
    }
    byte[] ip = switch (template) {
      case ICMP_ECHO_V4, ICMP_ECHO_V6 -> PacketTemplates.icmpEcho(from, to, IDENTIFIER, ++sequence, PAYLOAD);
      default -> PacketTemplates.udp(from, 40000 + sequence, to, UDP_PORT, PAYLOAD);
    };
    set(LinkType.RAW, ip);
    fitTo(device);
    message.set("craft.started", template.label(), from.getHostAddress(), to.getHostAddress());
  }

  /** Starts from a copy of a captured packet, aimed at the device it was captured on when that is one of ours. */
  public void duplicate(LinkType type, byte[] data, String interfaceName) {
    set(type, data.clone());
    targets.stream().filter(t -> t.link().equals(interfaceName)).findFirst().ifPresent(target::set);
    if (target.get() != null) {
      fitTo(target.get());
    }
    message.set("craft.copied", data.length, interfaceName == null ? Phrase.of("craft.the.capture")
        : interfaceName);
  }

  /** Writes {@code text} into {@code field}; a value that does not fit is refused with the reason. */
  public boolean edit(Field field, String text) {
    try {
      set(linkType.get(), PacketEditor.setField(linkType.get(), packet.get(), field, text, Set.copyOf(pinned)));
      message.set(pinned.isEmpty() ? Phrase.of("craft.edited", field.name(), text.strip())
          : Phrase.of("craft.edited.pinned", field.name(), text.strip(),
              String.join(", ", pinned.stream().sorted().toList())));
      return true;
    } catch (IllegalArgumentException e) {
      message.set("craft.not.changed", String.valueOf(e.getMessage()));
      return false;
    }
  }

  /** Sends the packet into the chosen device through the lab; it comes back in the capture. */
  public void send() {
    CraftTarget device = target.get();
    byte[] bytes = packet.get();
    if (device == null || bytes == null) {
      message.set(device == null ? "craft.no.device" : "craft.nothing");
      return;
    }
    message.set("craft.sending", bytes.length, device.link());
    background.execute(() -> {
      Phrase outcome;
      try {
        lab.get().inject(device.role(), device.link(), bytes);
        outcome = Phrase.of("craft.sent", bytes.length, device.label(),
            (device.isTap() ? PaneKind.TAP : PaneKind.TUN).title());
      } catch (IOException | RuntimeException e) {
        outcome = Phrase.of("craft.not.sent", String.valueOf(e.getMessage()));
      }
      Phrase shown = outcome;
      Platform.runLater(() -> message.set(shown));
    });
  }

  /** Converts between a frame and a bare IP packet when the chosen device needs the other. */
  private void fitTo(CraftTarget device) {
    byte[] bytes = packet.get();
    LinkType type = linkType.get();
    boolean ethernet = type.equals(LinkType.ETHERNET);
    if (device.isTap() && !ethernet) {
      set(LinkType.ETHERNET, PacketTemplates.ethernet(device.deviceMac().orElse(MacAddress.BROADCAST),
          device.responderMac().orElse(MacAddress.BROADCAST), bytes));
    } else if (!device.isTap() && ethernet) {
      int etherType = bytes.length >= 14 ? (bytes[12] & 0xff) << 8 | (bytes[13] & 0xff) : 0;
      if (etherType == 0x0800 || etherType == 0x86dd) {
        set(LinkType.RAW, Arrays.copyOfRange(bytes, 14, bytes.length));
      } else {
        message.set("craft.no.ip");
      }
    }
  }

  private void set(LinkType type, byte[] bytes) {
    linkType.set(type);
    packet.set(bytes);
    Dissection dissected = DISSECTOR.dissect(type, bytes, 0, bytes.length, bytes.length);
    dissection.set(dissected);
    StringBuilder text = new StringBuilder();
    new TcpdumpPrinter(new TcpdumpOptions(true, 0, false, TcpdumpOptions.Timestamps.NONE,
        TcpdumpOptions.HexDump.HEX_ASCII_WITH_LINK, ZoneId.systemDefault()))
        .print(text, Instant.EPOCH, dissected, bytes, 0);
    tcpdump.set(text.toString());
  }
}
