package dev.stripeflare.store.h2;

import java.time.Duration;

/**
 * What one {@link H2UserStore#compact} call did.
 *
 * @param fileBytesBefore the file's size before
 * @param fileBytesAfter  its size after (it shrinks only when free space was at its end)
 * @param fillRate        the percentage of the file's chunk space that holds live data, after
 * @param steps           rewrite steps done (0: nothing sparse enough, or not a file store)
 * @param took            how long it took
 */
public record H2Compaction(long fileBytesBefore, long fileBytesAfter, int fillRate, int steps, Duration took) {
}
