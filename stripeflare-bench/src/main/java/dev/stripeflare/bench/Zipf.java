package dev.stripeflare.bench;

import java.util.SplittableRandom;

/**
 * A precomputed sequence of user indexes drawn Zipf-like, so a few users are charged very often
 * and most rarely, as on a real site. The draw is YCSB's {@code ZipfianGenerator} (Gray et al.,
 * "Quickly generating billion-record synthetic databases", SIGMOD 1994) with YCSB's default
 * skew 0.99: index 0 is the hottest user. Computed once per trial, outside the measurement, so
 * a benchmark reads the next index from an array instead of drawing it.
 */
final class Zipf {
    /** YCSB's default skew. */
    static final double THETA = 0.99;
    /** The sequence length: a power of two, so a cursor wraps with a mask. */
    static final int LENGTH = 1 << 20;
    static final int MASK = LENGTH - 1;

    private Zipf() {
    }

    /** {@value #LENGTH} indexes in {@code [0, n)}, the same for the same {@code n} and seed. */
    static int[] sequence(int n, long seed) {
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 users, got " + n);
        }
        double zetaN = 0;
        for (int i = 1; i <= n; i++) {
            zetaN += 1 / Math.pow(i, THETA);
        }
        double zeta2 = 1 + 1 / Math.pow(2, THETA);
        double alpha = 1 / (1 - THETA);
        double eta = (1 - Math.pow(2.0 / n, 1 - THETA)) / (1 - zeta2 / zetaN);
        SplittableRandom random = new SplittableRandom(seed);
        int[] out = new int[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            double u = random.nextDouble();
            double uz = u * zetaN;
            int index;
            if (uz < 1) {
                index = 0;
            } else if (uz < 1 + Math.pow(0.5, THETA)) {
                index = 1;
            } else {
                index = (int) (n * Math.pow(eta * u - eta + 1, alpha));
            }
            out[i] = Math.min(index, n - 1);
        }
        return out;
    }

    /** Where thread {@code threadIndex} starts reading, far from the other threads. */
    static int startOf(int threadIndex) {
        return (int) ((threadIndex * 0x9E3779B97F4A7C15L) >>> 44) & MASK;
    }
}
