package io.github.tuntaplab.inspector.cli;

/**
 * The jar's entry point. Java looks the main method up among the main class's public methods,
 * which loads every type they name: {@link TunlabCommand}'s name picocli's large, unarchivable
 * {@code CommandLine}, which {@code tunlab print}'s quick path never needs.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    TunlabCommand.main(args);
  }
}
