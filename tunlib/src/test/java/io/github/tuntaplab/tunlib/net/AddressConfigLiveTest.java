package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** IPv4 and IPv6 addresses, point-to-point ones included, against {@code ip -j address}. */
@LiveTest
class AddressConfigLiveTest {
  private static final Address LAN = Address.of("tl-a", "198.51.100.2/24");
  private static final Address LAN6 = Address.of("tl-a", "2001:db8:100::2/64");
  private static final Address TUNNEL = Address.pointToPoint("tl-b", "198.18.0.1", "198.18.0.2/32");
  private static final Address TUNNEL6 = Address.pointToPoint("tl-b", "2001:db8:18::1", "2001:db8:18::2/128");

  private Twins twins;

  @BeforeEach
  void create() throws Exception {
    twins = Twins.create().vethUp("tl-a", "tl-b");
  }

  @AfterEach
  void delete() {
    if (twins != null) {
      twins.close();
    }
  }

  @Test
  void addedAddressesAreTheOnesIpAddressAddMakes() throws Exception {
    twins.apply(AddressChange.add(LAN), AddressChange.add(LAN6), AddressChange.add(TUNNEL), AddressChange.add(TUNNEL6));
    twins.assertSameState("address", "show");
    twins.assertSameState("route", "show", "table", "all");
    twins.apply(AddressChange.delete(LAN6), AddressChange.delete(TUNNEL));
    twins.assertSameState("address", "show");
    assertThat(twins.library.ip("-br", "address", "show", "tl-b")).contains("2001:db8:18::1 peer 2001:db8:18::2/128")
        .doesNotContain("198.18.0.1");
  }

  @Test
  void listingMatchesIpAddress() throws Exception {
    twins.apply(AddressChange.add(LAN), AddressChange.add(LAN6), AddressChange.add(TUNNEL), AddressChange.add(TUNNEL6));
    List<String> theirs = new ArrayList<>();
    for (Map<String, Object> link : twins.ipJson(NetworkConfig.SHOW_ADDRESSES)) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> infos = (List<Map<String, Object>>) link.get("addr_info");
      for (Map<String, Object> info : infos) {
        String local = (String) info.get("local");
        String text = info.containsKey("address") ? local + " peer " + info.get("address") + "/" + info.get("prefixlen")
            : local + "/" + info.get("prefixlen");
        theirs.add(text + " dev " + link.get("ifname") + " scope " + info.get("scope"));
      }
    }
    List<String> ours = twins.call(config -> config.addresses()).stream().map(Address::toString).toList();
    assertThat(ours).containsExactlyInAnyOrderElementsOf(theirs);
    assertThat(ours).contains("198.18.0.1 peer 198.18.0.2/32 dev tl-b scope global", "127.0.0.1/8 dev lo scope host");
  }

  @Test
  void rendersIpAddressCommands() {
    assertThat(AddressChange.add(LAN).commandLine()).isEqualTo("ip address add 198.51.100.2/24 dev tl-a");
    assertThat(AddressChange.add(TUNNEL).commandLineIn("tl-client"))
        .isEqualTo("ip -n tl-client address add 198.18.0.1 peer 198.18.0.2/32 dev tl-b");
    assertThat(AddressChange.delete(LAN6).commandLine()).isEqualTo("ip address del 2001:db8:100::2/64 dev tl-a");
  }

  @Test
  void refusalsSayWhatToFix() throws Exception {
    twins.apply(AddressChange.add(LAN));
    Twins.assertRefused(() -> twins.apply(AddressChange.add(LAN)),
        "EEXIST", "ip address add 198.51.100.2/24 dev tl-a: tl-a has this address already");
    Twins.assertRefused(() -> twins.apply(AddressChange.delete(LAN6)), "EADDRNOTAVAIL", "does not have this address");
  }
}
