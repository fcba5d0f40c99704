package io.github.tuntaplab.tunlib.bench;

import io.github.tuntaplab.tunlib.tunnel.AeadCodecAccess;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens tunnel-sized messages on one thread with the JDK's ChaCha20-Poly1305 alone
 * ({@code Cipher}, one {@code init} per message, in place in a heap array) and through our AEAD
 * codec (the same cipher on the tunnel's direct buffers, plus header, session look-up and replay
 * window), in one run, and prints both rates in Gbit/s of plaintext: what the codec costs beyond
 * the cipher. Not a test:
 *
 * <pre>mvn -B -ntp -q -pl tunlib test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.github.tuntaplab.tunlib.bench.AeadBenchmark [-Dexec.args="SECONDS"]</pre>
 */
public final class AeadBenchmark {
  private AeadBenchmark() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    System.out.printf("one thread, %.0f s of its CPU time per row; Java %s%n", seconds, Runtime.version());
    for (int length : new int[] {1400, 64}) {
      for (int round = 0; round < 2; round++) { // the first round warms the JIT up
        double jdk = rate(seconds, length, jdkSealOpen(length));
        double ours = rate(seconds, length, AeadCodecAccess.oursSealOpen(length));
        if (round == 1) {
          System.out.printf("%5d B  seal + open: JDK cipher alone %.3f Gbit/s, our codec %.3f Gbit/s (%.2f×)%n", length, jdk / 1e9,
              ours / 1e9, ours / jdk);
        }
      }
    }
  }

  /**
   * Plaintext bits per second of this thread's CPU time through {@code sealOpen}: CPU time, not
   * wall time, so that other work on the machine does not count against either implementation.
   */
  private static double rate(double seconds, int length, Runnable sealOpen) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long messages = 0;
    long start = threads.getCurrentThreadCpuTime();
    long end = start + (long) (seconds * 1e9);
    long now;
    do {
      for (int i = 0; i < 100; i++) {
        sealOpen.run();
      }
      messages += 100;
      now = threads.getCurrentThreadCpuTime();
    } while (now < end);
    return messages * length * 8 / ((now - start) / 1e9);
  }

  private static Runnable jdkSealOpen(int length) throws Exception {
    byte[] keyBytes = new byte[32];
    new Random(1).nextBytes(keyBytes);
    SecretKeySpec key = new SecretKeySpec(keyBytes, "ChaCha20");
    Cipher seal = Cipher.getInstance("ChaCha20-Poly1305");
    Cipher open = Cipher.getInstance("ChaCha20-Poly1305");
    byte[] header = new byte[24];
    byte[] work = new byte[length + 16];
    byte[] nonce = new byte[12];
    long[] counter = {0};
    return () -> {
      try {
        counter[0]++;
        for (int i = 0; i < 8; i++) {
          nonce[4 + i] = (byte) (counter[0] >>> (56 - 8 * i));
        }
        seal.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
        seal.updateAAD(header);
        int sealed = seal.doFinal(work, 0, length, work, 0);
        open.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
        open.updateAAD(header);
        open.doFinal(work, 0, sealed, work, 0);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }
}
