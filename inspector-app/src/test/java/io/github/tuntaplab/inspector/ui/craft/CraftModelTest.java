package io.github.tuntaplab.inspector.ui.craft;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.WindowLanguage;
import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.text.TcpdumpOptions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crafting without a lab: templates addressed for the default topology's devices, edits that keep
 * the packet consistent, and packets moved between a TUN (bare IP) and a TAP (Ethernet). What the
 * packets look like is judged by our tcpdump text, itself checked against tcpdump elsewhere.
 */
class CraftModelTest {
  private CraftModel model;
  private List<CraftTarget> targets;

  @BeforeEach
  void defaultLab() throws Exception {
    model = new CraftModel(() -> {
      throw new IllegalStateException("no lab in this test");
    }, Runnable::run, new WindowLanguage());
    targets = CraftTarget.of(Topology.load("default"));
    model.setTargets(targets);
  }

  @Test
  void templatesGoFromTheResponderToTheKernelBehindTheDevice() {
    WindowLanguage words = new WindowLanguage();
    assertThat(targets).extracting(target -> target.label().in(words.words()))
        .containsExactly("tl-tun0 (TUN in client)", "tl-tap0 (TAP in client)");
    model.start(CraftModel.Template.ICMP_ECHO_V4);
    assertThat(model.linkTypeProperty().get()).isEqualTo(LinkType.RAW);
    assertThat(line()).isEqualTo("ip: 198.18.0.2 > 198.18.0.1: ICMP echo request, id 29812, seq 1, length 18");
    model.start(CraftModel.Template.UDP_V6);
    assertThat(line()).isEqualTo("ip: 2001:db8:18::2.40001 > 2001:db8:18::1.9: UDP, length 10");
    model.start(CraftModel.Template.ARP_REQUEST);
    assertThat(model.messageProperty().get()).startsWith("ARP lives on Ethernet: choose a TAP");

    model.targetProperty().set(targets.get(1));
    model.start(CraftModel.Template.ARP_REQUEST);
    assertThat(line()).isEqualTo("02:54:4c:19:00:02 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: "
        + "Request who-has 198.19.0.1 tell 198.19.0.2, length 28");
    model.start(CraftModel.Template.ICMP_ECHO_V6);
    assertThat(line()).isEqualTo("02:54:4c:19:00:02 > 02:54:4c:19:00:01, ethertype IPv6 (0x86dd), length 72: "
        + "2001:db8:19::2 > 2001:db8:19::1: ICMP6, echo request, id 29812, seq 2, length 18");
  }

  @Test
  void editsFollowThroughAndAFrameBecomesAPacketForATun() {
    model.targetProperty().set(targets.get(1));
    model.start(CraftModel.Template.ICMP_ECHO_V4);
    Dissection frame = model.dissectionProperty().get();
    assertThat(model.edit(frame.field("ip.ttl").orElseThrow(), "7")).isTrue();
    assertThat(model.edit(model.dissectionProperty().get().field("data.data").orElseThrow(), "61 62 63")).isTrue();
    assertThat(model.edit(model.dissectionProperty().get().field("ip.ttl").orElseThrow(), "300")).isFalse();
    assertThat(model.messageProperty().get()).isEqualTo("Not changed: ip.ttl takes 0..255, not 300");
    assertThat(verbose()).contains("ttl 7", "length 31", "ICMP echo request, id 29812, seq 1, length 11");
    assertThat(verbose()).doesNotContain("bad cksum", "wrong icmp cksum");

    model.targetProperty().set(targets.get(0));
    assertThat(model.linkTypeProperty().get()).isEqualTo(LinkType.RAW);
    assertThat(line()).startsWith("ip: 198.19.0.2 > 198.19.0.1: ICMP echo request");

    model.pinned().add("ip.checksum");
    model.edit(model.dissectionProperty().get().field("ip.ttl").orElseThrow(), "8");
    assertThat(verbose()).contains("bad cksum");
  }

  private String line() {
    return model.tcpdumpProperty().get().lines().findFirst().orElseThrow();
  }

  /** The packet as {@code tcpdump -v} prints it: checksums judged. */
  private String verbose() {
    byte[] data = model.packetProperty().get();
    StringBuilder out = new StringBuilder();
    new io.github.tuntaplab.tunlib.text.TcpdumpPrinter(new TcpdumpOptions(true, 1, false,
        TcpdumpOptions.Timestamps.NONE, TcpdumpOptions.HexDump.NONE, java.time.ZoneId.of("UTC")))
        .print(out, java.time.Instant.EPOCH, model.dissectionProperty().get(), data, 0);
    return out.toString();
  }
}
