package io.github.tuntaplab.tunlib.net;

/**
 * One change to a namespace's network configuration, as a value: {@link NetworkConfig#apply}
 * performs it through rtnetlink (or ioctl, or {@code /proc/sys}), and {@link #command()} is the
 * command that does the same from a terminal.
 */
public interface NetChange extends IpTwin {}
