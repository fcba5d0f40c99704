package io.github.tuntaplab.tunlib.net;

import java.util.ArrayList;
import java.util.List;

/** Adds or removes an {@link Address}. */
public record AddressChange(boolean add, Address address) implements NetChange {
  public static AddressChange add(Address address) {
    return new AddressChange(true, address);
  }

  public static AddressChange delete(Address address) {
    return new AddressChange(false, address);
  }

  @Override
  public List<String> command() {
    List<String> command = new ArrayList<>(List.of("ip", "address", add ? "add" : "del"));
    command.add(address.peer().isPresent() ? Ip.text(address.local()) : address.text());
    address.peer().ifPresent(peer -> command.addAll(List.of("peer", Ip.text(peer) + "/" + address.prefixLength())));
    command.addAll(List.of("dev", address.link()));
    if (!address.scope().equals(Scope.UNIVERSE)) {
      command.addAll(List.of("scope", address.scope().name()));
    }
    return command;
  }
}
