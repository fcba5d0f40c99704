package io.github.tuntaplab.tunlib.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A question for the kernel's routing decision: where would a packet to {@code destination} go,
 * optionally from a socket bound to {@code outputDevice} ({@code SO_BINDTODEVICE}) or carrying a
 * firewall {@code mark}. The twin is {@code ip route get}.
 */
public record RouteQuery(InetAddress destination, Optional<String> outputDevice, OptionalInt mark) implements IpTwin {
  public static RouteQuery to(String destination) {
    return new RouteQuery(Ip.parse(destination), Optional.empty(), OptionalInt.empty());
  }

  /** As if the socket were bound to {@code device}: only routes through it are considered. */
  public RouteQuery oif(String device) {
    return new RouteQuery(destination, Optional.of(device), mark);
  }

  public AddressFamily family() {
    return AddressFamily.of(destination);
  }

  public RouteQuery mark(int newMark) {
    return new RouteQuery(destination, outputDevice, OptionalInt.of(newMark));
  }

  @Override
  public List<String> command() {
    List<String> command = new ArrayList<>(List.of("ip", "route", "get", Ip.text(destination)));
    outputDevice.ifPresent(d -> command.addAll(List.of("oif", d)));
    mark.ifPresent(m -> command.addAll(List.of("mark", Integer.toUnsignedString(m))));
    return command;
  }
}
