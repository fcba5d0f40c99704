package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Static ARP and NDP entries, against {@code ip -j neigh}. */
@LiveTest
class NeighbourConfigLiveTest {
  private static final MacAddress ROUTER = MacAddress.parse("02:00:5e:00:01:01");
  private static final Neighbour ARP = Neighbour.permanent("tl-a", "198.51.100.1", ROUTER);
  private static final Neighbour NDP = Neighbour.permanent("tl-a", "2001:db8:100::1", ROUTER);

  private Twins twins;

  @BeforeEach
  void create() throws Exception {
    twins = Twins.create().vethUp("tl-a", "tl-b");
    twins.apply(AddressChange.add(Address.of("tl-a", "198.51.100.2/24")));
  }

  @AfterEach
  void delete() {
    if (twins != null) {
      twins.close();
    }
  }

  @Test
  void staticEntriesAreTheOnesIpNeighAddMakes() throws Exception {
    Neighbour reachable = new Neighbour("tl-b", ARP.address(), ARP.mac(), NeighbourState.REACHABLE);
    twins.apply(NeighbourChange.add(ARP), NeighbourChange.add(NDP), NeighbourChange.add(reachable));
    twins.assertSameState("neigh", "show", "nud", "permanent");
    twins.assertSameState("neigh", "show", "dev", "tl-b");
    twins.apply(NeighbourChange.delete(NDP));
    twins.assertSameState("neigh", "show", "nud", "permanent");
    assertThat(twins.library.ip("neigh", "show", "dev", "tl-a"))
        .contains("198.51.100.1 lladdr 02:00:5e:00:01:01 PERMANENT").doesNotContain("2001:db8:100::1");
  }

  @Test
  @SuppressWarnings("unchecked")
  void listingMatchesIpNeigh() throws Exception {
    twins.apply(NeighbourChange.add(ARP), NeighbourChange.add(NDP));
    List<String> theirs = new ArrayList<>();
    for (Map<String, Object> entry : twins.ipJson(NetworkConfig.SHOW_NEIGHBOURS)) {
      theirs.add(entry.get("dst") + " dev " + entry.get("dev")
          + (entry.containsKey("lladdr") ? " lladdr " + entry.get("lladdr") : "") + " "
          + String.join(",", (List<String>) entry.get("state")));
    }
    List<String> ours = twins.call(NetworkConfig::neighbours).stream().map(Neighbour::toString).toList();
    assertThat(ours).containsExactlyInAnyOrderElementsOf(theirs)
        .contains("198.51.100.1 dev tl-a lladdr 02:00:5e:00:01:01 PERMANENT");
  }

  @Test
  void rendersAndExplains() throws Exception {
    assertThat(NeighbourChange.add(ARP).commandLineIn("tl-client"))
        .isEqualTo("ip -n tl-client neigh add 198.51.100.1 lladdr 02:00:5e:00:01:01 dev tl-a");
    assertThat(NeighbourChange.delete(NDP).commandLine()).isEqualTo("ip neigh del 2001:db8:100::1 dev tl-a");
    twins.apply(NeighbourChange.add(ARP));
    Twins.assertRefused(() -> twins.apply(NeighbourChange.add(ARP)),
        "EEXIST", "an entry for this address exists already on tl-a");
    Twins.assertRefused(() -> twins.apply(NeighbourChange.delete(NDP)), "ENOENT", "there is no such entry");
  }
}
