package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.LabDevice;
import java.util.List;
import java.util.Optional;

/** A device as a lesson names it: {@code tl-tun0}, or {@code l4-pi/tl-tun0} when two namespaces use the name. */
public record LinkRef(Optional<String> role, String link) {
  public static LinkRef parse(String text) {
    int slash = text.indexOf('/');
    LinkRef ref = slash < 0 ? new LinkRef(Optional.empty(), text)
        : new LinkRef(Optional.of(text.substring(0, slash)), text.substring(slash + 1));
    if (!ref.link.startsWith("tl-") || ref.role.map(String::isEmpty).orElse(false)) {
      throw new IllegalArgumentException("'" + text + "' is not a link: tl-NAME or ROLE/tl-NAME");
    }
    return ref;
  }

  /** The lab's device this names; exactly one must match. */
  public LabDevice resolve(List<LabDevice> devices) {
    List<LabDevice> matching = devices.stream()
        .filter(d -> d.link().equals(link) && role.map(d.role()::equals).orElse(true)).toList();
    if (matching.size() == 1) {
      return matching.get(0);
    }
    List<String> known = devices.stream().map(d -> d.role() + "/" + d.link()).toList();
    throw new IllegalArgumentException(matching.isEmpty() ? "the lab has no device " + this + " (it has " + known + ")"
        : this + " is in several namespaces: write ROLE/" + link + " (one of " + known + ")");
  }

  @Override
  public String toString() {
    return role.map(r -> r + "/").orElse("") + link;
  }
}
