package io.github.tuntaplab.tunlib.responder;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.device.TunTapDevice;
import io.github.tuntaplab.tunlib.net.MacAddress;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.NamespacePerTest;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel pings an address behind a real TUN or TAP and the responder, reading and writing the
 * device from Java, answers: {@code ping} succeeds with no other host. Pings use ICMP datagram
 * sockets (ping_group_range), which the kernel hands only replies with a valid checksum; a raw
 * socket, which root's ping would use, sees every reply before that check.
 */
@LiveTest
class DeviceResponderLiveTest extends NamespacePerTest {
  private static final MacAddress RESPONDER_MAC = MacAddress.parse("02:00:5e:10:00:02");


  @BeforeEach
  void letUsersPing() throws Exception {
    ns.exec("sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647").orThrow();
  }


  @Test
  void pingThroughATunIsAnsweredFromJava() throws Exception {
    TunTapDevice tun = inside.call(() -> TunTapDevice.tun("tl-tun0").open());
    DeviceResponder responder = DeviceResponder.serve(tun,
        Responder.forTun(addresses("198.18.0.2", "2001:db8:18::2")));
    configure("tl-tun0", "198.18.0.1/24", "2001:db8:18::1/64");

    assertPings("198.18.0.2");
    assertPings("2001:db8:18::2");

    tun.close();
    assertThat(responder.await(1, TimeUnit.SECONDS)).as("the loop ends with the device").isTrue();
    assertThat(responder.failure()).isNull();
  }

  @Test
  void pingThroughATapIsAnsweredAfterArpAndNeighbourDiscovery() throws Exception {
    Responder answers = Responder.forTap(RESPONDER_MAC.toByteArray(), addresses("198.19.0.2", "2001:db8:19::2"));
    try (TunTapDevice tap = inside.call(() -> TunTapDevice.tap("tl-tap0").open())) {
      DeviceResponder.serve(tap, answers);
      configure("tl-tap0", "198.19.0.1/24", "2001:db8:19::1/64");

      assertPings("198.19.0.2");
      assertPings("2001:db8:19::2");

      String neighbours = ns.ip("neigh", "show", "dev", "tl-tap0");
      assertThat(neighbours).contains("198.19.0.2 lladdr " + RESPONDER_MAC)
          .contains("2001:db8:19::2 lladdr " + RESPONDER_MAC);
      assertThat(answers.stats().arpReplies()).isPositive();
      assertThat(answers.stats().neighborAdvertisements()).isPositive();
    }
  }

  @Test
  void packetInformationIsStrippedFromRequestsAndAddedToReplies() throws Exception {
    try (TunTapDevice tun = inside.call(() -> TunTapDevice.tun("tl-tun0").packetInformation(true).open())) {
      DeviceResponder.serve(tun, Responder.forTun(addresses("198.18.0.2", "2001:db8:18::2")));
      configure("tl-tun0", "198.18.0.1/24", "2001:db8:18::1/64");
      assertPings("198.18.0.2");
      assertPings("2001:db8:18::2");
    }
  }

  private void configure(String device, String ipv4, String ipv6) {
    ns.ip("addr", "add", ipv4, "dev", device);
    ns.ip("addr", "add", ipv6, "dev", device, "nodad");
    ns.ip("link", "set", device, "up");
  }

  private void assertPings(String address) {
    Cmd.Result ping = ns.exec(20, "ping", "-c", "3", "-i", "0.2", "-W", "2", address);
    assertThat(ping.exitCode()).as("ping %s:%n%s%s", address, ping.stdout(), ping.stderr()).isZero();
    assertThat(ping.stdout()).contains("3 packets transmitted, 3 received");
  }

  private static List<InetAddress> addresses(String... literals) throws Exception {
    InetAddress[] out = new InetAddress[literals.length];
    for (int i = 0; i < literals.length; i++) {
      out[i] = InetAddress.getByName(literals[i]);
    }
    return List.of(out);
  }
}
