package io.github.tuntaplab.tunlib.net;

import java.util.ArrayList;
import java.util.List;

/** Adds or deletes a policy-routing {@link Rule} ({@code ip rule add|del}). */
public record RuleChange(boolean add, Rule rule) implements NetChange {
  public static RuleChange add(Rule rule) {
    return new RuleChange(true, rule);
  }

  public static RuleChange delete(Rule rule) {
    return new RuleChange(false, rule);
  }

  @Override
  public List<String> command() {
    List<String> command = new ArrayList<>(List.of("ip"));
    if (rule.family().equals(AddressFamily.INET6)) {
      command.add("-6");
    }
    command.addAll(List.of("rule", add ? "add" : "del"));
    command.addAll(rule.arguments());
    return command;
  }
}
