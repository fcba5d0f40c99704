package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Json;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Links through rtnetlink, checked against {@code ip -j link} and against their own rendered commands. */
@LiveTest
class LinkConfigLiveTest {
  private static final MacAddress MAC_A = MacAddress.parse("02:00:5e:10:00:0a");
  private static final MacAddress MAC_B = MacAddress.parse("02:00:5e:10:00:0b");

  private Twins twins;

  @BeforeEach
  void create() throws Exception {
    twins = Twins.create();
  }

  @AfterEach
  void delete() {
    if (twins != null) {
      twins.close();
    }
  }

  @Test
  void listingMatchesIpLinkWithFlagsMtuMacAndCounters() throws Exception {
    // IPv6 off: no router solicitations or MLD reports moving the counters between two reads.
    twins.apply(Sysctl.ipv6Disabled(true), LinkChange.veth("tl-a", "tl-b"), LinkChange.mac("tl-a", MAC_A),
        LinkChange.up("tl-a"), LinkChange.up("tl-b"), LinkChange.mtu("tl-b", 1400));
    twins.library.exec("ping", "-c", "2", "-i", "0.2", "-q", "127.0.0.1").orThrow();
    List<Link> ours = twins.call(NetworkConfig::links);
    List<Map<String, Object>> theirs = twins.ipJson(NetworkConfig.SHOW_LINKS);
    assertThat(ours).hasSameSizeAs(theirs);
    for (int i = 0; i < ours.size(); i++) {
      Link link = ours.get(i);
      Map<String, Object> ip = theirs.get(i);
      assertThat(link.name()).isEqualTo(ip.get("ifname"));
      assertThat((long) link.index()).isEqualTo(ip.get("ifindex"));
      assertThat((long) link.mtu()).isEqualTo(ip.get("mtu"));
      assertThat(link.flags().names()).as(link.name()).isEqualTo(ip.get("flags"));
      if (!link.name().equals("lo")) {
        assertThat(link.mac().map(MacAddress::toString)).contains((String) ip.get("address"));
        assertThat(link.kind()).isEqualTo("veth");
      }
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> stats = (Map<String, Map<String, Object>>) ip.get("stats64");
      Link.Stats s = link.stats();
      assertThat(List.of(s.rxPackets(), s.rxBytes(), s.rxErrors(), s.rxDropped())).as(link.name() + " rx")
          .isEqualTo(List.of(stats.get("rx").get("packets"), stats.get("rx").get("bytes"),
              stats.get("rx").get("errors"), stats.get("rx").get("dropped")));
      assertThat(List.of(s.txPackets(), s.txBytes(), s.txErrors(), s.txDropped())).as(link.name() + " tx")
          .isEqualTo(List.of(stats.get("tx").get("packets"), stats.get("tx").get("bytes"),
              stats.get("tx").get("errors"), stats.get("tx").get("dropped")));
    }
    Link lo = twins.call(config -> config.link("lo")).orElseThrow();
    assertThat(lo.stats().rxPackets()).as("the four ICMP packets of the ping on lo").isGreaterThanOrEqualTo(4);
    assertThat(twins.call(config -> config.link("tl-a")).orElseThrow().mac()).contains(MAC_A);
    Optional<Link> none = twins.call(config -> config.link("tl-none"));
    assertThat(none).isEmpty();
  }

  @Test
  void everyLinkChangeAndItsIpCommandLeaveTheSameLinks() throws Exception {
    Set<String> ignoreMac = new HashSet<>(Twins.VOLATILE);
    ignoreMac.addAll(Set.of("address", "broadcast"));
    twins.apply(LinkChange.veth("tl-a", "tl-b"));
    twins.assertSameState(ignoreMac, "link", "show");
    twins.apply(LinkChange.mac("tl-a", MAC_A), LinkChange.mac("tl-b", MAC_B));
    twins.assertSameState("link", "show");
    twins.apply(LinkChange.mtu("tl-a", 1280), LinkChange.up("tl-a"), LinkChange.up("tl-b"));
    twins.assertSameState("link", "show");
    twins.apply(LinkChange.down("tl-b"), LinkChange.rename("tl-b", "tl-renamed"));
    twins.assertSameState("link", "show");
    assertThat(twins.library.ip("-br", "link", "show", "tl-renamed")).contains("tl-renamed", "DOWN");
    twins.apply(LinkChange.delete("tl-a"));
    twins.assertSameState("link", "show");
    assertThat(twins.library.ip("-br", "link")).doesNotContain("tl-a", "tl-renamed");
  }

  @Test
  void aBridgeWithPortsMatchesIpLinkAddTypeBridge() throws Exception {
    Set<String> ignoreMac = new HashSet<>(Twins.VOLATILE);
    ignoreMac.addAll(Set.of("address", "broadcast", "master"));
    twins.apply(LinkChange.bridge("tl-br"), LinkChange.mac("tl-br", MAC_A), LinkChange.veth("tl-a", "tl-b"),
        LinkChange.master("tl-b", "tl-br"), LinkChange.up("tl-br"), LinkChange.up("tl-b"));
    twins.assertSameState(ignoreMac, "link", "show");
    assertThat(twins.library.ip("-br", "link", "show", "master", "tl-br")).contains("tl-b");
    assertThat(twins.library.ip("-d", "link", "show", "tl-br")).contains("bridge ");
  }

  @Test
  void aLinkMovedToAnotherNamespaceAppearsThere() throws Exception {
    try (TestNamespace ours = TestNamespace.create(); TestNamespace theirs = TestNamespace.create()) {
      twins.apply(LinkChange.veth("tl-a", "tl-b"));
      LinkChange move = LinkChange.moveTo("tl-b", ours.name());
      twins.call(config -> {
        config.apply(move);
        return null;
      });
      twins.oracle.ip("link", "set", "tl-b", "netns", theirs.name());
      assertThat(move.commandLineIn("tl-x")).isEqualTo("ip -n tl-x link set tl-b netns " + ours.name());
      assertThat(twins.library.ip("-br", "link")).doesNotContain("tl-b");
      assertThat(Json.without(Json.parse(ours.ip("-j", "link", "show", "tl-b")), Set.of("ifindex", "address",
          "link_index", "link_netnsid", "broadcast")))
          .isEqualTo(Json.without(Json.parse(theirs.ip("-j", "link", "show", "tl-b")), Set.of("ifindex",
              "address", "link_index", "link_netnsid", "broadcast")));
    }
  }

  @Test
  void txChecksumOffloadSwitchesLikeEthtool() throws Exception {
    Prerequisites.requireTool("ethtool");
    twins.apply(LinkChange.veth("tl-a", "tl-b"));
    boolean before = twins.call(config -> config.txChecksum("tl-a"));
    assertThat(before).as("veth offloads by default").isTrue();
    twins.apply(new TxChecksum("tl-a", false));
    boolean after = twins.call(config -> config.txChecksum("tl-a"));
    assertThat(after).isFalse();
    String ours = twins.library.exec("ethtool", "-k", "tl-a").orThrow().stdout();
    assertThat(ours).contains("tx-checksumming: off");
    assertThat(ours).isEqualTo(twins.oracle.exec("ethtool", "-k", "tl-a").orThrow().stdout());
    twins.apply(new TxChecksum("tl-a", true));
    assertThat(twins.library.exec("ethtool", "-k", "tl-a").orThrow().stdout())
        .isEqualTo(twins.oracle.exec("ethtool", "-k", "tl-a").orThrow().stdout())
        .contains("tx-checksumming: on");
  }

  @Test
  void refusalsKeepTheErrnoAndSayWhatToFix() throws Exception {
    twins.apply(LinkChange.veth("tl-a", "tl-b"));
    Twins.assertRefused(() -> twins.apply(LinkChange.up("tl-missing")),
        "ENODEV", "ip link set tl-missing up", "no link named tl-missing");
    Twins.assertRefused(() -> twins.apply(LinkChange.veth("tl-a", "tl-c")), "EEXIST", "exists already");
    Twins.assertRefused(() -> twins.apply(LinkChange.mtu("tl-a", 50)), "EINVAL", "ip link set tl-a mtu 50",
        "[kernel: mtu less than device minimum]");
  }

  @Test
  void rendersTheIpCommands() {
    assertThat(LinkChange.up("tl-tun0").commandLineIn("tl-client")).isEqualTo("ip -n tl-client link set tl-tun0 up");
    assertThat(LinkChange.veth("tl-eth0", "tl-lan").commandLine())
        .isEqualTo("ip link add tl-eth0 type veth peer name tl-lan");
    assertThat(new TxChecksum("tl-eth0", false).commandLineIn("tl-client"))
        .isEqualTo("ip netns exec tl-client ethtool -K tl-eth0 tx off");
  }
}
