/**
 * How the kernel schedules this process's threads: their nice values and, on Linux 6.12 and later,
 * their slices. The inspector window uses it to keep its frames on time while a lab forwards at full
 * rate: the threads that draw get short slices, its background threads and the JIT compilers yield.
 */
package io.github.tuntaplab.tunlib.scheduling;
