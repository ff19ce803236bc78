package dev.stripeflare.bench;

import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.Wallet;
import dev.stripeflare.core.Stripeflare;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.UserStore;
import dev.stripeflare.store.memory.InMemoryUserStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A wallet over the store a benchmark names, holding {@code users} registered accounts whose
 * tokens the benchmark presents.
 *
 * <p>Tokens are minted by a wallet ({@code session(null).accessToken()}) whose
 * {@link SecureRandom} is seeded, so every fork mints the same tokens: a file store seeded once
 * can be copied for each trial instead of being seeded again (100 000 durable credits take
 * tens of seconds). Accounts are registered as a payment would register them, through the
 * store's {@code credit}, with a balance no benchmark can spend.
 */
final class WalletFixture implements AutoCloseable {
    static final String DB_SECRET = "stripeflare-bench-db-secret-not-for-production";
    static final String SIGNING_SECRET = "whsec_stripeflare_bench_signing_secret";
    /** Ten billion dollars: one cent per charge, never exhausted within a run. */
    static final long SEED_BALANCE_CENTS = 1_000_000_000_000L;
    private static final Instant SEEDED_AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final AtomicInteger OPENED = new AtomicInteger();
    /** The table whose presence says a PostgreSQL schema holds every seeded account. */
    private static final String SEEDED_MARKER = "bench_seeded";

    final Wallet wallet;
    final String[] tokens;
    private final Path directory;
    private final String dropSchema;

    private WalletFixture(Wallet wallet, String[] tokens, Path directory, String dropSchema) {
        this.wallet = wallet;
        this.tokens = tokens;
        this.directory = directory;
        this.dropSchema = dropSchema;
    }

    /**
     * A wallet over a new {@code store} holding {@code users} registered accounts. On
     * {@code postgres} the accounts are seeded once into a schema named after the tokens and
     * kept between trials, forks and builds (the store migrates it) (charges and credits leave the seeded tokens usable); use
     * {@link #openFresh} when the benchmark changes tokens.
     */
    static WalletFixture open(String store, int users) {
        return open(store, users, false);
    }

    /** As {@link #open}, but on {@code postgres} in a schema of its own, seeded anew and dropped on close. */
    static WalletFixture openFresh(String store, int users) {
        return open(store, users, true);
    }

    private static WalletFixture open(String store, int users, boolean fresh) {
        return open(store, users, fresh, UnaryOperator.identity());
    }

    private static WalletFixture open(String store, int users, boolean fresh,
                                      UnaryOperator<Stripeflare.Builder> settings) {
        String[] tokens = mintTokens(users);
        String name = "bench-" + ProcessHandle.current().pid() + "-" + OPENED.incrementAndGet();
        Path directory = null;
        String dropSchema = null;
        UserStore userStore;
        if (Stores.POSTGRES.equals(store)) {
            String schema = fresh
                    ? "sf_bench_tmp_" + ProcessHandle.current().pid() + "_" + OPENED.get()
                    : "sf_bench_" + users + "_" + Integer.toUnsignedString(Arrays.hashCode(tokens), 36);
            if (fresh || !Stores.postgresHasTable(schema, SEEDED_MARKER)) {
                // A schema left half-seeded by an interrupted run starts over.
                Stores.postgresExecute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                userStore = Stores.postgres(schema);
                // Each credit waits for its WAL flush; overlapping ones share it.
                seed(userStore, tokens, 16);
                Stores.postgresExecute("CREATE TABLE " + schema + "." + SEEDED_MARKER + " (done BOOLEAN)");
            } else {
                userStore = Stores.postgres(schema);
            }
            dropSchema = fresh ? schema : null;
        } else if (Stores.isFile(store)) {
            Path template = seededTemplate(store, tokens);
            directory = temporaryDirectory(store);
            copyDirectory(template, directory);
            userStore = Stores.open(store, name, directory);
        } else {
            userStore = Stores.open(store, name, null);
            seed(userStore, tokens, Runtime.getRuntime().availableProcessors());
        }
        return new WalletFixture(settings.apply(builderOver(userStore, new SecureRandom())).build(), tokens,
                directory, dropSchema);
    }

    static Wallet walletOver(UserStore store, SecureRandom random) {
        return builderOver(store, random).build();
    }

    private static Stripeflare.Builder builderOver(UserStore store, SecureRandom random) {
        return Stripeflare.builder()
                .userStore(store)
                .loginByPayment(true)
                .dbSecret(DB_SECRET)
                .webhookSigningSecret(SIGNING_SECRET)
                .stripeSecretKey("sk_test_stripeflare_bench")
                .paymentLink("https://buy.stripe.com/test_stripeflare_bench")
                .secureRandom(random);
    }

    /**
     * {@code users} tokens, minted by a wallet, the same in every JVM. Kept in a file per build, so
     * later forks read them instead of minting (and encrypting a reference for) each again.
     */
    static String[] mintTokens(int users) {
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "stripeflare-bench",
                "tokens-" + users + "-" + buildStamp() + ".txt");
        try {
            if (Files.exists(cache)) {
                List<String> lines = Files.readAllLines(cache);
                if (lines.size() == users) {
                    return lines.toArray(new String[0]);
                }
            }
            String[] tokens = mintTokensNow(users);
            Files.createDirectories(cache.getParent());
            Path partial = Files.createTempFile(cache.getParent(), "tokens-", ".tmp");
            Files.write(partial, List.of(tokens));
            Files.move(partial, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return tokens;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] mintTokensNow(int users) {
        SecureRandom seeded;
        try {
            seeded = SecureRandom.getInstance("SHA1PRNG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the SUN provider has SHA1PRNG", e);
        }
        // Seeded before its first use, SHA1PRNG is a deterministic generator.
        seeded.setSeed(0x5EED_BE4CL);
        String[] tokens = new String[users];
        try (Wallet minter = walletOver(new InMemoryUserStore(), seeded)) {
            for (int i = 0; i < users; i++) {
                tokens[i] = minter.session(null).accessToken();
            }
        }
        return tokens;
    }

    /** Registers every token's account with {@link #SEED_BALANCE_CENTS}, on {@code threads} threads. */
    static void seed(UserStore store, String[] tokens, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    for (int i = first; i < tokens.length; i += threads) {
                        CreditResult result = store.credit(new PaymentCredit("seed:" + i, TokenHashes.of(tokens[i]),
                                SEED_BALANCE_CENTS, null, profileOf(i), null, null,
                                null, SEEDED_AT));
                        if (result.status() != CreditResult.Status.APPLIED) {
                            throw new IllegalStateException("seed credit " + i + " was " + result.status());
                        }
                    }
                }));
            }
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("seeding " + tokens.length + " users failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** What a checkout tells about payer {@code i}: a name and an email, which make them registered. */
    private static PaymentProfile profileOf(int i) {
        return new PaymentProfile("Bench User " + i, "user" + i + "@example.com", null, null);
    }

    /**
     * A directory holding a file store seeded with {@code tokens}, made once per build of the
     * benchmarks (its name carries the jar's timestamp, so a changed store format is re-seeded).
     */
    private static Path seededTemplate(String store, String[] tokens) {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "stripeflare-bench");
        Path template = root.resolve(store + "-" + tokens.length + "-" + buildStamp());
        Path complete = template.resolve("complete");
        if (Files.exists(complete)) {
            return template;
        }
        deleteDirectory(template);
        try {
            Files.createDirectories(template);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (UserStore seeding = Stores.open(store, "template", template)) {
            // Durable credits share a sync when they overlap: more threads than cores pays off here.
            seed(seeding, tokens, 16);
        }
        try {
            Files.createFile(complete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return template;
    }

    private static long buildStamp() {
        try {
            Path jar = Path.of(WalletFixture.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot find the benchmarks jar", e);
        }
    }

    private static Path temporaryDirectory(String store) {
        try {
            return Files.createTempDirectory("stripeflare-bench-" + store + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyDirectory(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!file.getFileName().toString().equals("complete")) {
                    Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteDirectory(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        wallet.close();
        deleteDirectory(directory);
        if (dropSchema != null) {
            Stores.postgresExecute("DROP SCHEMA IF EXISTS " + dropSchema + " CASCADE");
        }
    }

    /**
     * As {@link #open(String, int)}, with the wallet's builder adjusted by {@code settings}
     * (listeners, low-balance thresholds).
     */
    static WalletFixture open(String store, int users, UnaryOperator<Stripeflare.Builder> settings) {
        return open(store, users, false, settings);
    }
}
