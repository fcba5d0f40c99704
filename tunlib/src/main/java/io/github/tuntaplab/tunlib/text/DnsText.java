package io.github.tuntaplab.tunlib.text;

/**
 * tcpdump 4.99.3's DNS summary ({@code print-domain.c}): id, opcode, rcode and flag marks, counts,
 * then the questions of a query or the answers of a response (and the other sections under
 * {@code -vv}), and the message length. Names are printed as tcpdump's {@code fqdn_print} does: a
 * compression pointer must point before the previous one (else {@code <BAD PTR>}), so a crafted
 * loop ends at once, and a name prints at most 255 characters.
 */
final class DnsText {
  private static final String[] OPCODES = {"", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
      " op8", " updateA", " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef"};
  /** tcpdump's table, including its two entries without the leading space. */
  private static final String[] RCODES = {"", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused",
      " YXDomain", " YXRRSet", " NXRRSet", " NotAuth", " NotZone", " Resp11", " Resp12", " Resp13", " Resp14",
      " NoChange", " BadVers", "Resp17", " Resp18", " Resp19", " Resp20", "Resp21", " Resp22", " BadCookie"};
  private static final int MAX_NAME_CHARS = 255;
  private static final int OPT = 41;
  /** What tcpdump's {@code fqdn_print} and {@code ns_nskip} return as NULL. */
  private static final int NONE = -1;

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
    if (length < 12) {
      out.append("domain [length ").append(length).append(" < 12] (invalid)");
      return;
    }
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
      int rcode = extendedRcode(flags & 0xf, questions, answers + authority, additional);
      out.append(id).append(OPCODES[opcode])
          .append(rcode < RCODES.length ? RCODES[rcode] : " Resp" + (rcode & 0xfff))
          .append((flags & 0x0400) != 0 ? "*" : "").append((flags & 0x0080) != 0 ? "" : "-")
          .append((flags & 0x0200) != 0 ? "|" : "").append((flags & 0x0020) != 0 ? "$" : "");
      if (questions != 1) {
        out.append(" [").append(questions).append("q]");
      }
      for (int i = 0; i < questions; i++) {
        if (i != 0) {
          out.append(',');
        }
        if (printer.verbosity() > 1) {
          out.append(" q:");
          p = found(question(p));
        } else {
          p = found(skipName(p)) + 4;
        }
      }
      out.append(' ').append(answers).append('/').append(authority).append('/').append(additional);
      p = records(p, answers, null);
      if (printer.verbosity() > 1) {
        p = records(p, authority, " ns:");
        records(p, additional, " ar:");
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
      if (questions > 0) {
        p = found(question(p));
        for (int left = questions - 1; left > 0; left--) {
          if (p >= printer.snapEnd()) {
            throw new TcpdumpPrinter.Truncated("domain");
          }
          p = found(question(p));
        }
      }
      if (printer.verbosity() > 1) {
        p = records(p, answers, null);
        p = records(p, authority, " ns:");
        records(p, additional, " ar:");
      }
    }
    out.append(" (").append(length).append(')');
  }

  /** tcpdump gives up on the message ({@code goto trunc}) where a name could not be read. */
  private static int found(int p) {
    if (p == NONE) {
      throw new TcpdumpPrinter.Truncated("domain");
    }
    return p;
  }

  private boolean captured(int p, int n) {
    return p >= 0 && p + n <= printer.snapEnd();
  }

  /** The rcode with the upper bits an OPT record in the additional section adds (tcpdump's pre-scan). */
  private int extendedRcode(int rcode, int questions, int answersAndAuthority, int additional) {
    int snapEnd = printer.snapEnd();
    int p = message + 12;
    for (int i = 0; i < questions; i++) {
      p = skipName(p);
      if (p == NONE || (p += 4) >= snapEnd) {
        return rcode;
      }
    }
    for (int i = 0; i < answersAndAuthority; i++) {
      p = skipName(p);
      if (p == NONE || (p += 8) + 2 > snapEnd) {
        return rcode;
      }
      p += 2 + printer.u16(p);
      if (p >= snapEnd) {
        return rcode;
      }
    }
    for (int i = 0; i < additional; i++) {
      p = skipName(p);
      if (p == NONE || p + 2 > snapEnd) {
        return rcode;
      }
      int type = printer.u16(p);
      p += 4;
      if (p + 1 > snapEnd) {
        return rcode;
      }
      if (type == OPT) {
        return rcode | printer.u8(p) << 4;
      }
      p += 4;
      if (p + 2 > snapEnd) {
        return rcode;
      }
      p += 2 + printer.u16(p);
      if (p >= snapEnd) {
        return rcode;
      }
    }
    return rcode;
  }

  /** A section of {@code count} records; the authority and additional ones start only inside the capture. */
  private int records(int p, int count, String label) {
    if (count > 0 && (label == null || p < printer.snapEnd())) {
      if (label != null) {
        out.append(label);
      }
      p = found(record(p));
      count--;
      while (p < printer.snapEnd() && count > 0) {
        out.append(',');
        p = found(record(p));
        count--;
      }
    }
    if (count > 0) {
      throw new TcpdumpPrinter.Truncated("domain");
    }
    return p;
  }

  private int question(int p) {
    int start = p;
    p = skipName(p);
    if (!captured(p, 4)) {
      return NONE;
    }
    out.append(' ').append(typeName(printer.u16(p)));
    int recordClass = printer.u16(p + 2);
    if (recordClass != 1) {
      out.append(' ').append(className(recordClass));
    }
    out.append("? ");
    int end = name(start);
    return end == NONE ? NONE : end + 4;
  }

  /** tcpdump's {@code ns_rprint}: where the record ends, the capture's end to stop quietly, or NONE. */
  private int record(int p) {
    if (printer.verbose()) {
      out.append(' ');
      p = name(p);
      if (p == NONE) {
        return NONE;
      }
    } else {
      p = skipName(p);
    }
    if (!captured(p, 10)) {
      return printer.snapEnd();
    }
    int type = printer.u16(p);
    int recordClass = printer.u16(p + 2);
    if (recordClass != 1 && type != OPT) {
      out.append(' ').append(className(recordClass));
    }
    int optFlags = printer.u16(p + 6);
    if (type != OPT && printer.verbosity() > 2) {
      printer.markPartial(); // the TTL tcpdump prints under -vvv
    }
    int data = p + 10;
    int end = data + printer.u16(p + 8);
    out.append(' ').append(typeName(type));
    if (end > printer.snapEnd()) {
      return NONE;
    }
    switch (type) {
      case 1:
        if (!captured(data, 4)) {
          return NONE;
        }
        out.append(' ');
        printer.ipv4(data);
        break;
      case 28:
        if (!captured(data, 16)) {
          return NONE;
        }
        out.append(' ');
        printer.ipv6(data);
        break;
      case 2:
      case 5:
      case 12:
      case 39:
        out.append(' ');
        if (name(data) == NONE) {
          return NONE;
        }
        break;
      case 6:
        if (printer.verbose()) {
          return startOfAuthority(data) == NONE ? NONE : end;
        }
        break;
      case 15:
        out.append(' ');
        if (!captured(data, 2) || name(data + 2) == NONE) {
          return NONE;
        }
        out.append(' ').append(printer.u16(data));
        break;
      case 16:
        while (data < end) {
          out.append(" \"");
          data = characterString(data);
          if (data == NONE) {
            return NONE;
          }
          out.append('"');
        }
        break;
      case 33:
        out.append(' ');
        if (!captured(data, 6) || name(data + 6) == NONE) {
          return NONE;
        }
        out.append(':').append(printer.u16(data + 4)).append(' ').append(printer.u16(data)).append(' ')
            .append(printer.u16(data + 2));
        break;
      case OPT:
        out.append(" UDPsize=").append(recordClass);
        if ((optFlags & 0x8000) != 0) {
          out.append(" DO");
        }
        if (data < end) {
          printer.markPartial(); // the EDNS options
        }
        break;
      case 38:
      case 256:
        printer.markPartial();
        break;
      case 250:
        if (printer.verbose()) {
          printer.markPartial();
        }
        break;
      default:
        // tcpdump prints only the type's name
    }
    return end;
  }

  private int startOfAuthority(int p) {
    out.append(' ');
    p = name(p);
    if (p == NONE) {
      return NONE;
    }
    out.append(' ');
    p = name(p);
    if (p == NONE || !captured(p, 20)) {
      return NONE;
    }
    for (int i = 0; i < 5; i++) {
      out.append(' ').append(printer.u32(p + 4 * i));
    }
    return p + 20;
  }

  private int characterString(int p) {
    if (!captured(p, 1)) {
      return NONE;
    }
    int count = printer.u8(p);
    return printCharacters(p + 1, count) ? p + 1 + count : NONE;
  }

  /** tcpdump's {@code ns_nskip}: where the name at {@code p} ends in place, without following pointers. */
  private int skipName(int p) {
    if (!captured(p, 1)) {
      return NONE;
    }
    int label = printer.u8(p++);
    while (label != 0) {
      switch (label & 0xc0) {
        case 0xc0:
          return p + 1;
        case 0x40:
          if ((label & 0x3f) != 1 || !captured(p, 1)) {
            return NONE;
          }
          p += 1 + (bitCount(p) + 7) / 8;
          break;
        case 0x80:
          return NONE;
        default:
          p += label;
      }
      if (!captured(p, 1)) {
        return NONE;
      }
      label = printer.u8(p++);
    }
    return p;
  }

  private int bitCount(int p) {
    int bits = printer.u8(p);
    return bits == 0 ? 256 : bits;
  }

  /** tcpdump's {@code labellen}: the bytes after a label's first byte, or NONE (printing why). */
  private int labelLength(int p) {
    if (!captured(p, 1)) {
      return NONE;
    }
    int label = printer.u8(p);
    switch (label & 0xc0) {
      case 0x40:
        if ((label & 0x3f) != 1) {
          out.append("<ELT ").append(label & 0x3f).append('>');
          return NONE;
        }
        return captured(p + 1, 1) ? (bitCount(p + 1) + 7) / 8 + 1 : NONE;
      case 0x80:
        out.append("<BAD LABEL TYPE>");
        return NONE;
      default:
        return label;
    }
  }

  /**
   * Prints the name at {@code p} as tcpdump's {@code fqdn_print} does ({@code www.example.com.});
   * returns where it ends in place, or NONE where tcpdump returns NULL.
   */
  int name(int p) {
    int length = labelLength(p);
    if (length == NONE) {
      return NONE;
    }
    int snapEnd = printer.snapEnd();
    int maxOffset = p - message;
    int label = printer.u8(p++);
    int end = NONE;
    boolean compressed = false;
    int nameChars = 0;
    if ((label & 0xc0) != 0xc0) {
      end = p + length;
    }
    if (label == 0) {
      out.append('.');
      return end;
    }
    while (label != 0 && p < snapEnd) {
      switch (label & 0xc0) {
        case 0xc0: {
          if (!compressed) {
            end = p + 1;
            compressed = true;
          }
          int offset = (label << 8 | printer.u8(p)) & 0x3fff;
          // Only backwards, each pointer before the last: BIND's rule, and what ends a loop.
          if (offset >= maxOffset) {
            out.append("<BAD PTR>");
            return NONE;
          }
          maxOffset = offset;
          p = message + offset;
          length = labelLength(p);
          if (length == NONE) {
            return NONE;
          }
          label = printer.u8(p++);
          continue;
        }
        case 0x40:
          bitLabel(p);
          break;
        default:
          if (nameChars + length <= MAX_NAME_CHARS) {
            if (!printCharacters(p, length)) {
              return NONE;
            }
          } else if (nameChars < MAX_NAME_CHARS && !printCharacters(p, MAX_NAME_CHARS - nameChars)) {
            return NONE;
          }
          nameChars += length;
      }
      p += length;
      if (nameChars <= MAX_NAME_CHARS) {
        out.append('.');
      }
      nameChars++;
      length = labelLength(p); // checks that the byte was captured
      if (length == NONE) {
        return NONE;
      }
      label = printer.u8(p++);
      if (!compressed) {
        end += length + 1;
      }
    }
    if (nameChars > MAX_NAME_CHARS) {
      out.append("<DOMAIN NAME TOO LONG>");
    }
    return end;
  }

  /** An EDNS0 bit-string label ({@code \[x...}) as tcpdump's {@code blabel_print}. */
  private void bitLabel(int p) {
    int bits = bitCount(p);
    int limit = p + 1 + (bits + 3) / 4;
    out.append("\\[x");
    int at = p + 1;
    int left = bits;
    for (; at < limit && left > 7; left -= 8, at++) {
      printer.hex(printer.u8(at), 2);
    }
    if (left > 4) {
      printer.hex(printer.u8(at) & 0xff << (8 - left), 2);
    } else if (left > 0) {
      printer.hex(printer.u8(at) >> 4 & 0x0f & 0x0f << (4 - left), 1);
    }
    out.append('/').append(bits).append(']');
  }

  /** tcpdump's {@code nd_printn}: false when the capture ends first. */
  private boolean printCharacters(int p, int count) {
    int snapEnd = printer.snapEnd();
    for (; count > 0 && p < snapEnd; count--, p++) {
      int c = printer.u8(p);
      if (c >= 0x80) {
        c &= 0x7f;
        out.append("M-");
      }
      if (c < 0x20 || c > 0x7e) {
        c ^= 0x40;
        out.append('^');
      }
      out.append((char) c);
    }
    return count == 0;
  }

  private static String className(int recordClass) {
    switch (recordClass) {
      case 3: return "CHAOS";
      case 4: return "HS";
      case 255: return "ANY";
      default: return "(Class " + recordClass + ")";
    }
  }

  private static String typeName(int type) {
    if (type >= 1 && type < TYPES.length && TYPES[type] != null) {
      return TYPES[type];
    }
    switch (type) {
      case 99: return "SPF";
      case 100: return "UINFO";
      case 101: return "UID";
      case 102: return "GID";
      case 103: return "UNSPEC";
      case 104: return "NID";
      case 105: return "L32";
      case 106: return "L64";
      case 107: return "LP";
      case 108: return "EUI48";
      case 109: return "EUI64";
      case 249: return "TKEY";
      case 250: return "TSIG";
      case 251: return "IXFR";
      case 252: return "AXFR";
      case 253: return "MAILB";
      case 254: return "MAILA";
      case 255: return "ANY";
      case 256: return "URI";
      case 257: return "CAA";
      case 258: return "AVC";
      case 259: return "DOA";
      case 260: return "AMTRELAY";
      case 32768: return "TA";
      case 32769: return "DLV";
      default: return "Type" + type;
    }
  }

  /** tcpdump's names for types 1 to 65 (54 has none). */
  private static final String[] TYPES = {null, "A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "NULL",
      "WKS", "PTR", "HINFO", "MINFO", "MX", "TXT", "RP", "AFSDB", "X25", "ISDN", "RT", "NSAP", "NSAP_PTR", "SIG",
      "KEY", "PX", "GPOS", "AAAA", "LOC", "NXT", "EID", "NIMLOC", "SRV", "ATMA", "NAPTR", "KX", "CERT", "A6",
      "DNAME", "SINK", "OPT", "APL", "DS", "SSHFP", "IPSECKEY", "RRSIG", "NSEC", "DNSKEY", "DHCID", "NSEC3",
      "NSEC3PARAM", "TLSA", "SMIMEA", null, "HIP", "NINFO", "RKEY", "TALINK", "CDS", "CDNSKEY", "OPENPGPKEY",
      "CSYNC", "ZONEMD", "SVCB", "HTTPS"};
}
