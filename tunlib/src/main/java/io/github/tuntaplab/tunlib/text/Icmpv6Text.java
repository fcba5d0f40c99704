package io.github.tuntaplab.tunlib.text;

/** tcpdump's ICMPv6 text ({@code print-icmp6.c}): the type, its summary, and under {@code -v} the details. */
final class Icmpv6Text {
  private static final String[] ROUTER_PREFERENCES = {"medium", "high", "rsv", "low"};
  private static final String[] MLDV2_RECORD_TYPES = {null, "is_in", "is_ex", "to_in", "to_ex", "allow", "block"};

  private final TcpdumpPrinter printer;
  private final LineBuffer out;
  private final int p;
  private final int length;
  private final int ip;
  private final boolean verbose;
  private final boolean fragmented;

  Icmpv6Text(TcpdumpPrinter printer, int p, int length, int ip, boolean fragmented) {
    this.printer = printer;
    this.out = printer.out();
    this.p = p;
    this.length = length;
    this.ip = ip;
    this.verbose = printer.verbose();
    this.fragmented = fragmented;
  }

  void print() {
    int type = printer.u8(p);
    if (verbose && !fragmented && p + length <= printer.snapEnd()) {
      int stored = printer.u16(p + 2);
      int sum = Checksum.transport(printer.data(), ip, 6, 58, p, length);
      if (sum != 0) {
        out.append("[bad icmp6 cksum 0x");
        printer.hex(stored, 4);
        out.append(" -> 0x");
        printer.hex(Checksum.shouldBe(stored, sum), 4);
        out.append("!] ");
      } else {
        out.append("[icmp6 sum ok] ");
      }
    }
    out.append("ICMP6, ").append(typeName(type));
    if (verbose && type >= 133 && type <= 137) {
      out.append(", length ").append(length);
    }
    switch (type) {
      case 128:
      case 129:
        printer.need(p, 8, "icmp6");
        out.append(", id ").append(printer.u16(p + 4)).append(", seq ").append(printer.u16(p + 6));
        break;
      case 130:
        if (length == 24) {
          listenerV1();
        } else if (length >= 28) {
          out.append(" v2");
          queryV2();
        } else {
          out.append(" unknown-version (len ").append(length).append(") ");
        }
        break;
      case 131:
      case 132:
        listenerV1();
        break;
      case 133:
        if (verbose) {
          options(p + 8);
        }
        break;
      case 134:
        if (verbose) {
          routerAdvertisement();
        }
        break;
      case 135:
        printer.need(p + 8, 16, "icmp6");
        out.append(", who has ");
        printer.ipv6(p + 8);
        if (verbose) {
          options(p + 24);
        }
        break;
      case 136:
        printer.need(p + 8, 16, "icmp6");
        out.append(", tgt is ");
        printer.ipv6(p + 8);
        if (verbose) {
          long flags = printer.u32(p + 4);
          out.append(", Flags [");
          int start = out.length();
          flag(flags, 0x80000000L, "router", start);
          flag(flags, 0x40000000L, "solicited", start);
          flag(flags, 0x20000000L, "override", start);
          if (out.length() == start) {
            out.append("none");
          }
          out.append(']');
          options(p + 24);
        }
        break;
      case 143:
        reportV2();
        break;
      default:
        printer.markPartial();
    }
    if (!verbose) {
      out.append(", length ").append(length);
    }
  }

  private void flag(long flags, long bit, String name, int start) {
    if ((flags & bit) != 0) {
      out.append(out.length() == start ? "" : ", ").append(name);
    }
  }

  private void listenerV1() {
    out.append("max resp delay: ").append(printer.u16(p + 4)).append(' ').append("addr: ");
    printer.ipv6(p + 8);
  }

  private void queryV2() {
    int code = printer.u16(p + 4);
    long delay = code < 32768 ? code : (long) ((code & 0x0fff) | 0x1000) << (((code & 0x7000) >> 12) + 3);
    if (verbose) {
      out.append(" [max resp delay=").append(delay).append(']');
    }
    out.append(" [gaddr ");
    printer.ipv6(p + 8);
    if (verbose) {
      int flags = printer.u8(p + 24);
      if ((flags & 0x08) != 0) {
        out.append(" sflag");
      }
      if ((flags & 0x07) != 0) {
        out.append(" robustness=").append(flags & 0x07);
      }
      int interval = printer.u8(p + 25);
      out.append(" qqi=").append(interval < 128 ? interval : ((interval & 0x0f) | 0x10) << (((interval & 0x70) >> 4) + 3));
    }
    int sources = printer.u16(p + 26);
    if (sources > 0) {
      if (length < 28 + sources * 16) {
        out.append(" [invalid number of sources]");
      } else if (printer.verbosity() > 1) {
        out.append(" {");
        for (int i = 0; i < sources; i++) {
          out.append(' ');
          printer.ipv6(p + 28 + 16 * i);
        }
        out.append(" }");
      } else {
        out.append(", ").append(sources).append(" source(s)");
      }
    }
    out.append(']');
  }

  private void reportV2() {
    if (length < 8) {
      out.append(" [invalid len ").append(length).append(']');
      return;
    }
    int groups = printer.u16(p + 6);
    out.append(", ").append(groups).append(" group record(s)");
    if (!verbose) {
      return;
    }
    int group = 8;
    for (int i = 0; i < groups; i++) {
      if (length < group + 20) {
        out.append(" [invalid number of groups]");
        return;
      }
      out.append(" [gaddr ");
      printer.ipv6(p + group + 4);
      int recordType = printer.u8(p + group);
      out.append(' ').append(recordType < MLDV2_RECORD_TYPES.length && MLDV2_RECORD_TYPES[recordType] != null
          ? MLDV2_RECORD_TYPES[recordType] : " [v2-report-#" + recordType + "]");
      int sources = printer.u16(p + group + 2);
      if (length < group + 20 + sources * 16) {
        out.append(" [invalid number of sources ").append(sources).append(']');
        return;
      }
      if (printer.verbosity() == 1) {
        out.append(", ").append(sources).append(" source(s)");
      } else {
        out.append(" {");
        for (int j = 0; j < sources; j++) {
          out.append(' ');
          printer.ipv6(p + group + 20 + 16 * j);
        }
        out.append(" }");
      }
      group += 20 + sources * 16;
      out.append(']');
    }
  }

  private void routerAdvertisement() {
    int flags = printer.u8(p + 5);
    out.append("\n\thop limit ").append(printer.u8(p + 4)).append(", Flags [");
    int start = out.length();
    flag(flags, 0x80, "managed", start);
    flag(flags, 0x40, "other stateful", start);
    flag(flags, 0x20, "home agent", start);
    flag(flags, 0x08, "proxy", start);
    if (out.length() == start) {
      out.append("none");
    }
    out.append("], pref ").append(ROUTER_PREFERENCES[flags >> 3 & 3])
        .append(", router lifetime ").append(printer.u16(p + 6)).append('s')
        .append(", reachable time ").append(printer.u32(p + 8)).append("ms")
        .append(", retrans timer ").append(printer.u32(p + 12)).append("ms");
    options(p + 16);
  }

  /** Neighbour discovery options, one per line, as {@code icmp6_opt_print} writes them. */
  private void options(int o) {
    int end = p + length;
    while (o < end) {
      int type = printer.u8(o);
      int units = printer.u8(o + 1);
      if (units == 0 || o + units * 8 > end) {
        throw new TcpdumpPrinter.Truncated("icmp6");
      }
      int size = units * 8;
      printer.need(o, size, "icmp6");
      out.append("\n\t  ").append(optionName(type)).append(" option (").append(type).append("), length ")
          .append(size).append(" (").append(units).append("): ");
      switch (type) {
        case 1:
        case 2:
          for (int i = 2; i < size; i++) {
            if (i > 2) {
              out.append(':');
            }
            printer.hex(printer.u8(o + i), 2);
          }
          break;
        case 3:
          printer.ipv6(o + 16);
          int prefixFlags = printer.u8(o + 3);
          out.append('/').append(printer.u8(o + 2)).append(units != 4 ? "badlen" : "").append(", Flags [");
          int start = out.length();
          flag(prefixFlags, 0x80, "onlink", start);
          flag(prefixFlags, 0x40, "auto", start);
          flag(prefixFlags, 0x20, "router", start);
          if (out.length() == start) {
            out.append("none");
          }
          out.append("], valid time ");
          lifetime(printer.u32(o + 4));
          out.append(", pref. time ");
          lifetime(printer.u32(o + 8));
          break;
        case 5:
          out.append(' ').append(printer.u32(o + 4)).append(units != 1 ? "bad option length" : "");
          break;
        case 7:
          out.append(' ').append(printer.u32(o + 4)).append("ms");
          break;
        case 8:
          out.append(" preference ").append(printer.u16(o + 4)).append(", lifetime ").append(printer.u16(o + 6));
          break;
        case 25:
          out.append(" lifetime ").append(printer.u32(o + 4)).append("s,");
          for (int i = 0; i < (units - 1) / 2; i++) {
            out.append(" addr: ");
            printer.ipv6(o + 8 + 16 * i);
          }
          break;
        case 31:
          out.append(" lifetime ").append(printer.u32(o + 4)).append("s, domain(s):");
          DnsText names = new DnsText(printer, p - printer.base(), 0);
          for (int name = o + 8; name < o + size && printer.u8(name) != 0; ) {
            out.append(' ');
            name = names.name(name);
            if (name < 0) {
              throw new TcpdumpPrinter.Truncated("icmp6");
            }
          }
          break;
        default:
          if (type == 4 || type == 24) {
            printer.markPartial();
          }
          if (printer.verbosity() <= 1) {
            HexDumps.append(out, "\n\t  ", printer.data(), o + 2, size - 2, false);
            return;
          }
      }
      if (printer.verbosity() > 1) {
        HexDumps.append(out, "\n\t  ", printer.data(), o + 2, size - 2, false);
      }
      o += size;
    }
  }

  private void lifetime(long seconds) {
    if (seconds == 0xffffffffL) {
      out.append("infinity");
    } else {
      out.append(seconds).append('s');
    }
  }

  private static String optionName(int type) {
    switch (type) {
      case 1: return "source link-address";
      case 2: return "destination link-address";
      case 3: return "prefix info";
      case 4: return "redirected header";
      case 5: return "mtu";
      case 7: return "advertisement interval";
      case 8: return "homeagent information";
      case 24: return "route info";
      case 25: return "rdnss";
      case 31: return "dnssl";
      default: return "unknown";
    }
  }

  private static String typeName(int type) {
    switch (type) {
      case 1: return "destination unreachable";
      case 2: return "packet too big";
      case 3: return "time exceeded in-transit";
      case 4: return "parameter problem";
      case 128: return "echo request";
      case 129: return "echo reply";
      case 130: return "multicast listener query";
      case 131: return "multicast listener report";
      case 132: return "multicast listener done";
      case 133: return "router solicitation";
      case 134: return "router advertisement";
      case 135: return "neighbor solicitation";
      case 136: return "neighbor advertisement";
      case 137: return "redirect";
      case 143: return "multicast listener report v2";
      default: return "unknown icmp6 type (" + type + ")";
    }
  }
}
