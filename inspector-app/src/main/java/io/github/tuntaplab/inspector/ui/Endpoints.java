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
    boolean tunnel = dissection.layers().stream().anyMatch(l -> LayerStyle.of(l.name()) == LayerStyle.TUNNEL);
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

  /** The highest protocol, with the tunnel it came through: "TCP", "ARP", "ICMP in VXLAN". */
  static String protocol(Dissection dissection) {
    String top = "";
    String tunnel = null;
    for (Layer layer : dissection.layers()) {
      LayerStyle style = LayerStyle.of(layer.name());
      if (style == LayerStyle.TUNNEL && tunnel == null) {
        tunnel = layer.name().toUpperCase();
      }
      if (!layer.name().equals("data") && !layer.name().equals("padding") || top.isEmpty()) {
        top = layer.name().toUpperCase();
      }
    }
    return tunnel == null || tunnel.equals(top) ? top : top + " in " + tunnel;
  }
}
