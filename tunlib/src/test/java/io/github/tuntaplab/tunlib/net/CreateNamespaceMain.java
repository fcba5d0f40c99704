package io.github.tuntaplab.tunlib.net;

import java.io.IOException;

/**
 * Run by {@link NamespaceLiveTest} in a private mount namespace where {@code /run} is an empty
 * tmpfs, as on a machine that never ran {@code ip netns add}: creates {@code args[0]}, prints the
 * list, deletes it. Exit 0 on success, 3 on an error (the message on stderr).
 */
public final class CreateNamespaceMain {
  private CreateNamespaceMain() {}

  public static void main(String[] args) {
    try {
      NetworkNamespace.create(args[0]);
      System.out.println("LIST " + NetworkNamespace.list());
      System.out.flush();
      if (args.length > 1) {
        new ProcessBuilder(args[1].split(" ")).inheritIO().start().waitFor();
      }
      NetworkNamespace.delete(args[0]);
      System.out.println("AFTER " + NetworkNamespace.list());
    } catch (IOException | InterruptedException e) {
      System.err.println(e.getMessage());
      System.exit(3);
    }
  }
}
