package io.github.tuntaplab.inspector.ui.craft;

import io.github.tuntaplab.inspector.ui.Phrase;
import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.tunlib.net.MacAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * A TUN or TAP of the lab that a crafted packet can be written into, with what a template needs
 * to address a packet to the kernel behind it: the device's own addresses (the kernel's side) and
 * its responder's (the side the lab's program plays), and on a TAP both MACs.
 */
public record CraftTarget(String role, String link, Topology.DeviceKind kind, Optional<MacAddress> deviceMac,
    Optional<MacAddress> responderMac, List<InetAddress> kernelAddresses, List<InetAddress> responderAddresses) {

  /** Every TUN and TAP of {@code topology}, in its order. */
  public static List<CraftTarget> of(Topology topology) {
    return topology.devices().stream().map(device -> new CraftTarget(device.namespace(), device.link(), device.kind(),
        device.mac(), device.responderMac(),
        topology.addresses().stream()
            .filter(a -> a.namespace().equals(device.namespace()) && a.address().link().equals(device.link()))
            .map(a -> a.address().local()).toList(),
        device.responderAddresses())).toList();
  }

  public boolean isTap() {
    return kind == Topology.DeviceKind.TAP;
  }

  /** The kernel's address on the device, of IPv6 or IPv4. */
  public Optional<InetAddress> kernelAddress(boolean ipv6) {
    return kernelAddresses.stream().filter(a -> a instanceof Inet6Address == ipv6).findFirst();
  }

  /** The responder's address, of IPv6 or IPv4. */
  public Optional<InetAddress> responderAddress(boolean ipv6) {
    return responderAddresses.stream().filter(a -> a instanceof Inet6Address == ipv6).findFirst();
  }

  /** How the device is named to the student, e.g. "tl-tap0 (TAP in client)". */
  public Phrase label() {
    return Phrase.of("craft.target", link, kind.name(), role);
  }
}
