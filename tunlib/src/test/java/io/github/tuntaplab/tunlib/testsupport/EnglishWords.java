package io.github.tuntaplab.tunlib.testsupport;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule a text said in Chinese is held to (the window's, a checkpoint's verdict): every word in
 * Latin letters is a name said as it is in every language (a protocol's, a tool's), or part of a value
 * shown as it is (a path, a device's or field's name, a filter, a tcpdump line); any other is English
 * left untranslated.
 *
 * <p>Its limits: a word of fewer than three letters is not looked at ("IP", "ok", "of" pass), and a
 * word joined to another by a hyphen, dot or slash counts as a name (tl-eth0, ip.hdr_len), so an
 * English "well-known" or "and/or" passes too.
 */
public final class EnglishWords {
  /** A word in Latin letters (three at least, digits may follow: IPv6): English unless it is a name. */
  private static final Pattern LATIN_WORD = Pattern.compile("[A-Za-z]{3,}[0-9]*");
  /**
   * The words any Chinese text says as they are: protocols, devices and tools by their names. A test
   * adds the names of what it shows (a window's keys, a packet's layers).
   */
  public static final Set<String> NAMES = Set.of("TAP", "TUN", "ARP", "ICMP", "ICMPv6", "UDP", "TCP", "IPv4",
      "IPv6", "MAC", "MTU", "VLAN", "VXLAN", "WireGuard", "tcpdump", "libpcap", "sudo", "tunlab", "ping", "pcap",
      "pcapng", "veth");
  /**
   * A file's path or name, a field's (ip.hdr_len), a device's or a namespace's (tl-eth0, l5-router):
   * values shown as they are, not words.
   */
  private static final Pattern NAME = Pattern.compile("/[\\w./-]+|\\w+(?:[./-]\\w+)+");

  private EnglishWords() {}

  /**
   * The English words of {@code text} once each of the values {@code kept} is taken out of it (longest
   * first, so a line goes before a shorter value inside it; only where it stands alone: a value that
   * starts or ends with a letter or digit is not taken out of the middle of a word) and names are
   * passed: a word of {@code allowed} (which holds {@link #NAMES} or more).
   */
  public static List<String> in(String text, Collection<String> kept, Set<String> allowed) {
    List<String> longestFirst = new ArrayList<>(kept);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    String rest = text;
    for (String each : longestFirst) {
      if (!each.isEmpty() && rest.contains(each)) {
        rest = standingAlone(each).matcher(rest).replaceAll("");
      }
    }
    List<String> english = new ArrayList<>();
    Matcher words = LATIN_WORD.matcher(NAME.matcher(rest).replaceAll(" "));
    while (words.find()) {
      if (!allowed.contains(words.group())) {
        english.add(words.group());
      }
    }
    return english;
  }

  /** {@code value} where no letter or digit goes on a word it starts or ends with. */
  private static Pattern standingAlone(String value) {
    String before = Character.isLetterOrDigit(value.charAt(0)) ? "(?<![A-Za-z0-9])" : "";
    String after = Character.isLetterOrDigit(value.charAt(value.length() - 1)) ? "(?![A-Za-z0-9])" : "";
    return Pattern.compile(before + Pattern.quote(value) + after);
  }
}
