package dev.stripeflare.store.h2;

import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/**
 * The child process of {@link CrashTest}: writes credits and charges to a file store until it is
 * killed, printing {@code ACK <operation id>} after each credit returns.
 */
public final class CrashWriter {

    static final AppMigration NOTES = AppMigration.userTable("1-notes", "notes", "id BIGINT PRIMARY KEY");

    private CrashWriter() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        Random random = new Random(seed);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        H2UserStore store = H2UserStore.builder().file(file).migration(NOTES).build();
        System.out.println("READY");
        System.out.flush();
        for (long n = 0; ; n++) {
            int r = random.nextInt(10);
            if (r < 3) {
                String token = r == 0 ? "new-" + seed + "-" + n : "user-" + random.nextInt(8);
                String op = "credit-" + seed + "-" + n;
                store.credit(new PaymentCredit(op, TokenHashes.of(token), 1 + random.nextInt(500),
                        "pi_" + op, PaymentProfile.empty(), null, null, null, at));
                System.out.println("ACK " + op);
                System.out.flush();
            } else {
                String token = "user-" + random.nextInt(8);
                String key = random.nextBoolean() ? "k-" + seed + "-" + n : null;
                store.charge(new Debit(TokenHashes.of(token), 1 + random.nextInt(40), r == 9, key, null, at));
            }
        }
    }
}
