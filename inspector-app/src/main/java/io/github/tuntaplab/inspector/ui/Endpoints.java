package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import java.util.List;

/** The columns Wireshark shows for a packet: source, destination, protocol, read from its dissection. */
final class Endpoints {
  private Endpoints() {}

  /**
   * Source and destination as Wireshark's columns: the IP addresses (inside a tunnel, the inner
   * ones), else the MAC addresses (ARP too); empty strings when there are none.
   */
  static String[] of(Dissection dissection) {
    String[][] choices = {{"ip.src", "ip.dst"}, {"ipv6.src", "ipv6.dst"}, {"eth.src", "eth.dst"}};
    boolean tunnel = tunnel(dissection) != null;
    for (String[] pair : choices) {
      List<Field> sources = dissection.fields(pair[0]);
      List<Field> destinations = dissection.fields(pair[1]);
      if (!sources.isEmpty() && !destinations.isEmpty()) {
        int pick = tunnel ? Math.min(sources.size(), destinations.size()) - 1 : 0;
        return new String[] {String.valueOf(sources.get(pick).value()), String.valueOf(destinations.get(pick).value())};
      }
    }
    return new String[] {"", ""};
  }

  /**
   * The layer a tunnelled packet came through: a tunnel header (VXLAN, WireGuard), or the outer
   * layer right before an encapsulated packet that has none (UDP for IP in UDP, IP for IP in IP);
   * null when nothing is encapsulated (what an ICMP error quotes is no tunnel).
   */
  private static String tunnel(Dissection dissection) {
    List<Layer> layers = dissection.layers();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (LayerStyle.of(layer.name()) == LayerStyle.TUNNEL) {
        return layer.name().toUpperCase();
      }
      if (layer.depth() > 0) {
        String carrier = layers.get(i - 1).name();
        return carrier.startsWith("icmp") ? null : carrier.toUpperCase();
      }
    }
    return null;
  }

  /** The highest protocol, with the tunnel it came through: "TCP", "ARP", "ICMP in VXLAN", "ICMP in UDP". */
  static String protocol(Dissection dissection) {
    String top = "";
    String tunnel = tunnel(dissection);
    for (Layer layer : dissection.layers()) {
      if (!layer.name().equals("data") && !layer.name().equals("padding") || top.isEmpty()) {
        top = layer.name().toUpperCase();
      }
    }
    return tunnel == null || tunnel.equals(top) ? top : top + " in " + tunnel;
  }
}
