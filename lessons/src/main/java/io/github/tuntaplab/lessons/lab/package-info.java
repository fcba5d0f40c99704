/**
 * The live lab: a {@link io.github.tuntaplab.lessons.lab.Topology} (data, from a small text file)
 * built in network namespaces by {@link io.github.tuntaplab.lessons.lab.Lab#up}, with a TUN and a
 * TAP served by tunlib responders and a live capture of every device. In-process, a lesson
 * subscribes to the captured packets ({@link io.github.tuntaplab.lessons.lab.Lab#subscribe}), marks
 * its steps ({@link io.github.tuntaplab.lessons.lab.Lab#step}) and runs actions in a namespace
 * ({@link io.github.tuntaplab.lessons.lab.Lab#run}). The privileged lab process
 * ({@code sudo tunlab lab up}) holds one lab through a {@link io.github.tuntaplab.lessons.lab.LabHost}
 * (the one-lab lock, the lab, its UNIX socket: LAB-PROTOCOL.md), which a program already running as
 * root may use in-process too; {@link io.github.tuntaplab.lessons.lab.LabClient} talks to it unprivileged.
 */
package io.github.tuntaplab.lessons.lab;
