package io.github.tuntaplab.tunlib.net;

import io.github.tuntaplab.tunlib.internal.Errno;

/** What to do when the kernel refuses a {@link NetChange}: one sentence per errno and kind of change. */
final class ChangeErrors {
  private ChangeErrors() {}

  static String fix(NetChange change, int errno) {
    switch (errno) {
      case Errno.EPERM:
      case Errno.EACCES:
        return "changing the network configuration needs CAP_NET_ADMIN in this namespace (run as root)";
      case Errno.ENODEV:
        return "a link it names does not exist in this namespace (ip link lists the links there are)";
      default:
        break;
    }
    if (change instanceof RouteChange route) {
      return routeFix(route, errno);
    }
    if (change instanceof AddressChange address) {
      return switch (errno) {
        case Errno.EEXIST -> address.address().link() + " has this address already";
        case Errno.EADDRNOTAVAIL -> address.address().link() + " does not have this address (ip address show dev "
            + address.address().link() + ")";
        default -> "the kernel refused the address";
      };
    }
    if (change instanceof NeighbourChange neighbour) {
      return switch (errno) {
        case Errno.EEXIST -> "an entry for this address exists already on " + neighbour.neighbour().link()
            + " (delete it first, or use ip neigh replace)";
        case Errno.ENOENT -> "there is no such entry (ip neigh show dev " + neighbour.neighbour().link() + ")";
        default -> "the kernel refused the neighbour entry";
      };
    }
    if (change instanceof LinkChange link) {
      return switch (errno) {
        case Errno.EEXIST -> "a link with that name exists already in this namespace";
        case Errno.EBUSY -> link.link() + " is up, or busy; bring it down first (ip link set " + link.link() + " down)";
        case Errno.EINVAL -> "the kernel refused the value for " + link.link() + " (an MTU outside the driver's range, "
            + "a multicast MAC, or a name longer than 15 bytes)";
        default -> "the kernel refused the change to " + link.link();
      };
    }
    return "the kernel refused the change";
  }

  private static String routeFix(RouteChange change, int errno) {
    Route route = change.route();
    return switch (errno) {
      case Errno.EEXIST -> "table " + route.table() + " has a route to " + route.destination().routeText()
          + " with this metric already (use ip route replace, or delete the old route first)";
      case Errno.ENETUNREACH -> "the gateway " + route.gateway().map(g -> g.getHostAddress()).orElse("")
          + " is not on a directly connected network: give " + route.device().orElse("the link")
          + " an address in the gateway's subnet and bring it up first";
      case Errno.ESRCH -> "there is no such route in table " + route.table() + " (ip route show table "
          + route.table() + ")";
      case Errno.EADDRNOTAVAIL -> "the source address " + route.source().map(s -> s.getHostAddress()).orElse("")
          + " is not an address of this namespace";
      default -> "the kernel refused the route";
    };
  }

  /**
   * Why the kernel's route lookup refused a destination: a socket's {@code sendto} gets the same
   * errno (a blackhole answers EINVAL, which surprises everyone once).
   */
  static String routeRefusal(int errno) {
    return switch (errno) {
      case Errno.ENETUNREACH -> "no route matches (add a route to the destination, or a default route)";
      case Errno.EINVAL -> "the destination matches a blackhole route, which drops the packet silently "
          + "(or the query is malformed; ip route get fibmatch shows the route)";
      case Errno.EHOSTUNREACH -> "the destination matches an unreachable route (ip route get fibmatch shows it)";
      case Errno.EACCES -> "the destination matches a prohibit route (ip route get fibmatch shows it)";
      default -> "the kernel refused it";
    };
  }
}
