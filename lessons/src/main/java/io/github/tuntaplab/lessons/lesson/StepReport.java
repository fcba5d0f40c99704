package io.github.tuntaplab.lessons.lesson;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What running one lesson step on the lab gave: the transcript ({@code tunlab lesson step} prints
 * the same) and each checkpoint's verdict. Travels as the body of the lab's {@code lesson} request
 * (LAB-PROTOCOL.md), a line each: {@code output TAB LINE} and
 * {@code check TAB PASS|FAIL TAB CHECKPOINT TAB MESSAGE TAB STEP}, the message in English, then,
 * for a client that named a language (an earlier one reads exactly five fields), the message in each
 * other language as a field {@code CODE:MESSAGE} ({@code zh:…}), with backslash, tab, newline and
 * carriage return inside a field written {@code \\}, {@code \t}, {@code \n} and {@code \r} (a
 * program's CRLF output quoted in a verdict stays on its line). A line without those fields (a lab of
 * an earlier version) reads as a message that is English in every language; a field after STEP
 * without a colon is passed over.
 */
public record StepReport(List<String> transcript, List<CheckResult> checks) {
  public StepReport {
    transcript = List.copyOf(transcript);
    checks = List.copyOf(checks);
  }

  /**
   * The request's body; {@code everyLanguage} adds each check line's {@code CODE:MESSAGE} fields, which
   * only a client that names a language in its request reads (an earlier one refuses a sixth field).
   */
  public String body(boolean everyLanguage) {
    StringBuilder body = new StringBuilder();
    transcript.forEach(line -> body.append("output\t").append(escape(line)).append('\n'));
    for (CheckResult check : checks) {
      body.append("check\t").append(check.passed() ? "PASS" : "FAIL").append('\t')
          .append(escape(check.checkpoint().text())).append('\t').append(escape(check.verdict().message()))
          .append('\t').append(check.step());
      for (Language language : Language.values()) {
        if (everyLanguage && language != Language.ENGLISH) {
          body.append('\t').append(language.code()).append(':').append(escape(check.verdict().said().in(language)));
        }
      }
      body.append('\n');
    }
    return body.toString();
  }

  /** Reads a body {@link #body} wrote, with or without the other languages. */
  public static StepReport parse(String body) {
    List<String> transcript = new ArrayList<>();
    List<CheckResult> checks = new ArrayList<>();
    for (String line : body.lines().toList()) {
      String[] fields = line.split("\t", -1);
      if (fields[0].equals("output") && fields.length == 2) {
        transcript.add(unescape(fields[1]));
      } else if (fields[0].equals("check") && fields.length >= 5) {
        checks.add(new CheckResult(Integer.parseInt(fields[4]), Checkpoint.parse(unescape(fields[2])),
            new Verdict(fields[1].equals("PASS"),
                said(unescape(fields[3]), List.of(fields).subList(5, fields.length)))));
      } else {
        throw new IllegalArgumentException("not a line of a lesson step's report: " + line);
      }
    }
    return new StepReport(transcript, checks);
  }

  /**
   * The English message and the {@code CODE:MESSAGE} fields after it: a language missing is said in
   * English; a code this version does not know (a later lab's language) and a field without a colon
   * (whatever a later lab may add) are passed over.
   */
  private static Message said(String english, List<String> others) {
    Map<Language, String> texts = new EnumMap<>(Language.class);
    for (Language language : Language.values()) {
      texts.put(language, english);
    }
    for (String field : others) {
      int colon = field.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String code = field.substring(0, colon);
      Arrays.stream(Language.values()).filter(l -> l.code().equals(code)).findFirst()
          .ifPresent(language -> texts.put(language, unescape(field.substring(colon + 1))));
    }
    return new Message(texts);
  }

  static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  static String unescape(String text) {
    StringBuilder plain = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(++i);
        plain.append(next == 'n' ? '\n' : next == 't' ? '\t' : next == 'r' ? '\r' : next);
      } else {
        plain.append(c);
      }
    }
    return plain.toString();
  }
}
