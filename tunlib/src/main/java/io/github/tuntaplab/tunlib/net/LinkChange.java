package io.github.tuntaplab.tunlib.net;

import java.util.List;

/** A change to one link: state, MTU, MAC, name, existence, namespace. Made by the static factories. */
public sealed interface LinkChange extends NetChange {
  /** The link the change is about (for a new veth pair, the first end). */
  String link();

  static LinkChange up(String link) {
    return new SetUp(link, true);
  }

  static LinkChange down(String link) {
    return new SetUp(link, false);
  }

  static LinkChange mtu(String link, int mtu) {
    return new SetMtu(link, mtu);
  }

  static LinkChange mac(String link, MacAddress mac) {
    return new SetMac(link, mac);
  }

  static LinkChange rename(String link, String newName) {
    return new Rename(link, newName);
  }

  static LinkChange delete(String link) {
    return new Delete(link);
  }

  /** A pair of connected Ethernet links: what goes into one comes out of the other. */
  static LinkChange veth(String link, String peer) {
    return new AddVeth(link, peer);
  }

  /** A software switch: links made its ports ({@link #master}) exchange frames as on one segment. */
  static LinkChange bridge(String link) {
    return new AddBridge(link);
  }

  /** Makes {@code link} a port of {@code bridge} (whose own address then speaks for the segment). */
  static LinkChange master(String link, String bridge) {
    return new SetMaster(link, bridge);
  }

  /** Moves the link into the named namespace ({@code /run/netns/NAME}); its addresses are lost. */
  static LinkChange moveTo(String link, String namespace) {
    return new MoveToNamespace(link, namespace);
  }

  record SetUp(String link, boolean up) implements LinkChange {
    @Override
    public List<String> command() {
      return List.of("ip", "link", "set", link, up ? "up" : "down");
    }
  }

  record SetMtu(String link, int mtu) implements LinkChange {
    @Override
    public List<String> command() {
      return List.of("ip", "link", "set", link, "mtu", Integer.toString(mtu));
    }
  }

  record SetMac(String link, MacAddress mac) implements LinkChange {
    @Override
    public List<String> command() {
      return List.of("ip", "link", "set", link, "address", mac.toString());
    }
  }

  record Rename(String link, String newName) implements LinkChange {
    @Override
    public List<String> command() {
      return List.of("ip", "link", "set", link, "name", newName);
    }
  }

  record Delete(String link) implements LinkChange {
    @Override
    public List<String> command() {
      return List.of("ip", "link", "delete", link);
    }
  }

  record AddVeth(String link, String peer) implements LinkChange {
    @Override
    public List<String> command() {
      return List.of("ip", "link", "add", link, "type", "veth", "peer", "name", peer);
    }
  }

  record AddBridge(String link) implements LinkChange {
    @Override
    public List<String> command() {
      return List.of("ip", "link", "add", link, "type", "bridge");
    }
  }

  record SetMaster(String link, String bridge) implements LinkChange {
    @Override
    public List<String> command() {
      return List.of("ip", "link", "set", link, "master", bridge);
    }
  }

  record MoveToNamespace(String link, String namespace) implements LinkChange {
    @Override
    public List<String> command() {
      return List.of("ip", "link", "set", link, "netns", namespace);
    }
  }
}
