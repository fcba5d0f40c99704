package io.github.tuntaplab.tunlib.text;

/**
 * tcpdump's DNS summary ({@code print-domain.c}): id, opcode and flag marks, counts, then the
 * question of a query or the answers of a response, and the message length.
 */
final class DnsText {
  private static final String[] OPCODES = {"", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
      " op8", " updateA", " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef"};
  private static final String[] RCODES = {"", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused",
      " YXDomain", " YXRRSet", " NXRRSet", " NotAuth", " NotZone"};

  private final TcpdumpPrinter printer;
  private final LineBuffer out;
  private final int message;
  private final int length;

  DnsText(TcpdumpPrinter printer, int at, int length) {
    this.printer = printer;
    this.out = printer.out();
    this.message = printer.base() + at;
    this.length = length;
  }

  void print() {
    printer.protocol("domain");
    printer.need(message, 12, "domain");
    int id = printer.u16(message);
    int flags = printer.u16(message + 2);
    int questions = printer.u16(message + 4);
    int answers = printer.u16(message + 6);
    int authority = printer.u16(message + 8);
    int additional = printer.u16(message + 10);
    int opcode = flags >>> 11 & 0xf;
    int p = message + 12;
    if ((flags & 0x8000) != 0) {
      int rcode = flags & 0xf;
      out.append(id).append(OPCODES[opcode]).append(rcode < RCODES.length ? RCODES[rcode] : " Resp" + rcode)
          .append((flags & 0x0400) != 0 ? "*" : "").append((flags & 0x0080) != 0 ? "" : "-")
          .append((flags & 0x0200) != 0 ? "|" : "");
      if (questions != 1) {
        out.append(" [").append(questions).append("q]");
      }
      for (int i = 0; i < questions; i++) {
        if (i != 0) {
          p = question(p);
        } else {
          p = skipName(p) + 4;
        }
      }
      out.append(' ').append(answers).append('/').append(authority).append('/').append(additional);
      for (int i = 0; i < answers; i++) {
        if (i > 0) {
          out.append(',');
        }
        p = record(p);
      }
    } else {
      out.append(id).append(OPCODES[opcode]).append((flags & 0x0100) != 0 ? "+" : "")
          .append((flags & 0x0010) != 0 ? "%" : "");
      if ((flags & 0x6cf) != 0) {
        out.append(" [b2&3=0x").appendHex(flags).append(']');
      }
      if (opcode == 1) {
        if (questions != 0) {
          out.append(" [").append(questions).append("q]");
        }
        if (answers != 1) {
          out.append(" [").append(answers).append("a]");
        }
      } else {
        if (answers != 0) {
          out.append(" [").append(answers).append("a]");
        }
        if (questions != 1) {
          out.append(" [").append(questions).append("q]");
        }
      }
      if (authority != 0) {
        out.append(" [").append(authority).append("n]");
      }
      if (additional != 0) {
        out.append(" [").append(additional).append("au]");
      }
      for (int i = 0; i < questions; i++) {
        p = question(p);
      }
    }
    out.append(" (").append(length).append(')');
  }

  private int question(int p) {
    int afterName = skipName(p);
    printer.need(afterName, 4, "domain");
    int type = printer.u16(afterName);
    int type2 = printer.u16(afterName + 2);
    out.append(' ').append(typeName(type));
    if (type2 != 1) {
      out.append(" (Class ").append(type2).append(')');
      printer.markPartial();
    }
    out.append("? ");
    name(p);
    return afterName + 4;
  }

  private int record(int p) {
    int afterName;
    if (printer.verbose()) {
      out.append(' ');
      afterName = name(p);
    } else {
      afterName = skipName(p);
    }
    printer.need(afterName, 10, "domain");
    int type = printer.u16(afterName);
    int recordClass = printer.u16(afterName + 2);
    if (recordClass != 1 && type != 41) {
      out.append(" (Class ").append(recordClass).append(')');
      printer.markPartial();
    }
    int dataLength = printer.u16(afterName + 8);
    int data = afterName + 10;
    out.append(' ').append(typeName(type));
    printer.need(data, dataLength, "domain");
    switch (type) {
      case 1:
        out.append(' ');
        printer.ipv4(data);
        break;
      case 28:
        out.append(' ');
        printer.ipv6(data);
        break;
      case 2:
      case 5:
      case 12:
        out.append(' ');
        name(data);
        break;
      default:
        printer.markPartial();
    }
    return data + dataLength;
  }

  /** Where the name at {@code p} ends in place (after its last label or its pointer). */
  private int skipName(int p) {
    for (;;) {
      int label = printer.u8(p);
      if (label == 0) {
        return p + 1;
      }
      if ((label & 0xc0) == 0xc0) {
        return p + 2;
      }
      p += 1 + label;
    }
  }

  /** Prints the name at {@code p} as tcpdump does ({@code www.example.com.}); returns where it ends in place. */
  int name(int p) {
    int end = -1;
    int jumps = 0;
    boolean any = false;
    for (;;) {
      int label = printer.u8(p);
      if (label == 0) {
        if (!any) {
          out.append('.');
        }
        return end < 0 ? p + 1 : end;
      }
      if ((label & 0xc0) == 0xc0) {
        if (end < 0) {
          end = p + 2;
        }
        p = message + ((label & 0x3f) << 8 | printer.u8(p + 1));
        if (++jumps > 128) {
          printer.markPartial();
          return end;
        }
        continue;
      }
      if ((label & 0xc0) != 0) {
        printer.markPartial();
        return end < 0 ? p + 1 : end;
      }
      printer.need(p + 1, label, "domain");
      for (int i = 1; i <= label; i++) {
        int c = printer.u8(p + i);
        if (c < 0x21 || c > 0x7e || c == '.' || c == '\\') {
          printer.markPartial();
        }
        out.append((char) c);
      }
      out.append('.');
      any = true;
      p += 1 + label;
    }
  }

  private String typeName(int type) {
    switch (type) {
      case 1: return "A";
      case 2: return "NS";
      case 5: return "CNAME";
      case 6: return "SOA";
      case 12: return "PTR";
      case 13: return "HINFO";
      case 15: return "MX";
      case 16: return "TXT";
      case 28: return "AAAA";
      case 33: return "SRV";
      case 41: return "OPT";
      case 43: return "DS";
      case 46: return "RRSIG";
      case 47: return "NSEC";
      case 48: return "DNSKEY";
      case 255: return "ANY";
      default: return "Type" + type;
    }
  }
}
