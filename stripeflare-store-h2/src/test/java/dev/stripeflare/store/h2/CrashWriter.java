package dev.stripeflare.store.h2;

import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UserRecord;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The child process of {@link CrashTest}: {@value #THREADS} threads mix credits (some
 * identifying the payer by card), charges with and without keys, refunds and disputes (some
 * before their payment), restorations, token rotations and deletions on a file store until the
 * process is killed. After each durable call returns it prints one acknowledgement line:
 * <ul>
 *   <li>{@code C <operation id>}: a credit applied;</li>
 *   <li>{@code R <operation id>}: a reversal applied or deferred;</li>
 *   <li>{@code S <operation id>}: a restoration done;</li>
 *   <li>{@code T <old token> <new token>}: a rotation that succeeded;</li>
 *   <li>{@code D <user id> <token>}: an account deleted, with the token that opened it.</li>
 * </ul>
 * Charges are not acknowledged: a crash may lose the last {@code chargeWriteDelay} of them.
 */
public final class CrashWriter {

    static final AppMigration NOTES = AppMigration.userTable("1-notes", "notes", "id BIGINT PRIMARY KEY");
    static final int THREADS = 4;
    private static final int SLOTS = 4;
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private CrashWriter() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        H2UserStore store = H2UserStore.builder().file(file).migration(NOTES).build();
        PrintStream out = System.out;
        out.println("READY");
        out.flush();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String prefix = seed + "-" + t;
            Random random = new Random(seed * 31 + t);
            threads.add(new Thread(() -> work(store, prefix, random, out)));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void work(H2UserStore store, String prefix, Random random, PrintStream out) {
        String[] tokens = new String[SLOTS];
        for (int k = 0; k < SLOTS; k++) {
            tokens[k] = "sf_crash-" + prefix + "-" + k;
        }
        List<String> payments = new ArrayList<>();
        List<String> reversals = new ArrayList<>();
        for (long n = 0; ; n++) {
            int slot = random.nextInt(SLOTS);
            String token = tokens[slot];
            int r = random.nextInt(100);
            if (r < 30) {
                String op = "c-" + prefix + "-" + n;
                PaymentProfile profile = random.nextInt(4) == 0
                        ? new PaymentProfile("Payer", "p@example.com", null, "fp-" + prefix + "-" + random.nextInt(2))
                        : PaymentProfile.empty();
                store.credit(new PaymentCredit(op, TokenHashes.of(token), 1 + random.nextInt(500), "pi_" + op,
                        profile, "cs_" + op, AT.plusSeconds(600), null, AT));
                payments.add("pi_" + op);
                ack(out, "C " + op);
            } else if (r < 70) {
                String key = random.nextBoolean() ? "k-" + prefix + "-" + n : null;
                store.charge(new Debit(TokenHashes.of(token), 1 + random.nextInt(40), random.nextInt(10) == 0, key,
                        null, AT));
            } else if (r < 82) {
                // mostly a payment already credited; sometimes the next one, before its credit
                String payment = payments.isEmpty() || random.nextInt(5) == 0
                        ? "pi_c-" + prefix + "-" + (n + 1 + random.nextInt(3))
                        : payments.get(random.nextInt(payments.size()));
                String op = "r-" + prefix + "-" + n;
                boolean adaptive = random.nextBoolean();
                store.reverse(new PaymentReversal(op, payment, 1 + random.nextInt(300), adaptive ? 1_000 : 0,
                        random.nextBoolean() ? LedgerEntryKind.REFUND : LedgerEntryKind.DISPUTE, null, AT));
                reversals.add(op);
                ack(out, "R " + op);
            } else if (r < 86) {
                if (!reversals.isEmpty()) {
                    String op = "s-" + prefix + "-" + n;
                    ReversalResult ignored = store.restore(new PaymentRestoration(op,
                            reversals.get(random.nextInt(reversals.size())), LedgerEntryKind.DISPUTE_WON, null, AT));
                    ack(out, "S " + op + " " + ignored.status());
                }
            } else if (r < 97) {
                String next = "sf_crash-" + prefix + "-" + slot + "-" + n;
                if (store.rotateToken(TokenHashes.of(token), TokenHashes.of(next))) {
                    tokens[slot] = next;
                    ack(out, "T " + token + " " + next);
                }
            } else {
                Optional<UserRecord> account = store.findByTokenHash(TokenHashes.of(token));
                if (account.isPresent() && store.deleteUser(account.get().userId())) {
                    tokens[slot] = "sf_crash-" + prefix + "-" + slot + "-fresh-" + n;
                    ack(out, "D " + account.get().userId() + " " + token);
                }
            }
        }
    }

    private static void ack(PrintStream out, String line) {
        out.println("ACK " + line);
        out.flush();
    }
}
