package dev.stripeflare.store.h2;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.ConfigurationException;
import dev.stripeflare.Grant;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.StoreException;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.ExpiredGrant;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.spi.GrantVoid;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.UnclaimedAssignment;
import dev.stripeflare.spi.UnclaimedResolution;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The embedded default {@link UserStore}: H2 through Jdbi, in memory or in one file.
 *
 * <pre>{@code
 * try (H2UserStore store = H2UserStore.file(Path.of("data/wallet"))) { ... }
 * H2UserStore custom = H2UserStore.builder().file(path).version("v2")
 *         .migration(AppMigration.userColumn("1-plan", "plan", "VARCHAR(20)"))
 *         .build();
 * }</pre>
 *
 * <p><b>Layout.</b> Accounts, token hashes, ledger, idempotency keys and applied operation ids
 * live in a few indexed tables of one aggregate schema, so a charge is one short transaction
 * whatever the number of users. A user gets a schema of their own ({@code SF__U<id>}, named
 * from the stable id) only when the application declares per-user tables
 * ({@link AppMigration#userTable}); it is made before the account is committed and dropped
 * after the account is deleted, and schemas left by a crash are dropped on open.
 *
 * <p><b>Guarantees.</b> Thread-safe; every method of {@link UserStore} is atomic as that
 * interface describes, runs in one H2 transaction, and changes nothing if it throws. Failures
 * of H2 are {@link StoreException}s; calls after {@link #close()} throw {@link StoreException}.
 *
 * <p><b>Conflicts.</b> Every transaction runs at READ COMMITTED and takes row locks in one
 * order; the operations that must not interleave conflict on one row: a payment's credit, its
 * reversals and their restorations on the payment's PAYMENTS row; two first payments with one
 * verified email or card on its IDENTITIES row; a checkout's credit and its claims on its
 * CHECKOUT_CLAIMS row; rotations, deletions, claims and charges of one account on its ACCOUNTS
 * row. Rotated-away and deleted token hashes are kept as revoked and never open anything again.
 * See ADR.md, "H2 store: how credits, reversals, claims and rotations conflict".
 *
 * <p><b>Durability (file mode).</b> A credit, reversal, restoration, claim, rotation, deletion or
 * settled record returns only after it is forced to disk ({@code CHECKPOINT SYNC}, shared by concurrent calls). Charges are committed to
 * H2's in-memory store and written to the file within {@link Builder#chargeWriteDelay} (default
 * {@value Builder#DEFAULT_WRITE_DELAY_MS} ms) or by the next credit's sync, whichever is first: a
 * process crash may lose the charges acknowledged in that window, never a credit, and never
 * leaves a balance that differs from its ledger.
 */
public final class H2UserStore implements UserStore {

    private final HandlePool pool;
    private final UserSchemas userSchemas;
    private final DurableSync durableSync;
    private final H2Admin admin;
    // With per-user schemas, credits and deletions run DDL; concurrent H2 DDL waits on other
    // sessions' locks up to LOCK_TIMEOUT and retries, which under a burst of credits cascaded
    // into minute-long stalls (ConcurrencyTest). They are rare: one at a time is enough.
    private final ReentrantLock schemaChanges = new ReentrantLock();

    private H2UserStore(HandlePool pool, UserSchemas userSchemas, DurableSync durableSync) {
        this.pool = pool;
        this.userSchemas = userSchemas;
        this.durableSync = durableSync;
        this.admin = new H2Admin(pool);
    }

    /**
     * A store in a private in-memory database called {@code name}; stores with the same name in
     * one JVM share it. The data is gone when the last store on it closes.
     */
    public static H2UserStore inMemory(String name) {
        return builder().inMemory(name).build();
    }

    /**
     * A store in the H2 file {@code path + ".mv.db"} (a trailing {@code .mv.db} in {@code path}
     * is accepted), created if missing.
     *
     * @throws StoreException if the file cannot be opened (e.g. another process holds it)
     */
    public static H2UserStore file(Path path) {
        return builder().file(path).build();
    }

    /**
     * A store on connections from {@code dataSource}, which must reach an H2 2.x database. The
     * store keeps {@link Builder#poolSize} connections open until {@link #close()}. For a file
     * database, put {@code MAX_COMPACT_TIME=0} in its URL as {@link #file} does: H2's chunk moving
     * on close has left files that a later crash made unreadable (see ADR.md).
     */
    public static H2UserStore of(DataSource dataSource) {
        return builder().dataSource(dataSource).build();
    }

    /** A builder for migrations, version, write delay and pool size. */
    public static Builder builder() {
        return new Builder();
    }

    /** Typed, read-only queries over all accounts. */
    public H2Admin admin() {
        return admin;
    }

    @Override
    public Optional<UserRecord> findByTokenHash(String tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        return pool.inStatements("finding an account by token",
                statements -> AccountReads.byTokenHash(statements, tokenHash));
    }

    @Override
    public Optional<UserRecord> findById(long userId) {
        return pool.inStatements("finding an account by id", statements -> AccountReads.byId(statements, userId));
    }

    @Override
    public Optional<UserRecord> findByCardFingerprint(String cardFingerprint) {
        Objects.requireNonNull(cardFingerprint, "cardFingerprint");
        return pool.inTransaction("finding an account by card",
                h -> AccountReads.byCardFingerprint(h, cardFingerprint));
    }

    @Override
    public Optional<UserRecord> findByVerifiedEmail(String verifiedEmail) {
        Objects.requireNonNull(verifiedEmail, "verifiedEmail");
        return pool.inTransaction("finding an account by email",
                h -> AccountReads.byVerifiedEmail(h, verifiedEmail));
    }

    @Override
    public ChargeResult charge(Debit debit) {
        Objects.requireNonNull(debit, "debit");
        return pool.inStatements("charging", statements -> Charges.charge(statements, debit));
    }

    @Override
    public CreditResult credit(PaymentCredit credit) {
        Objects.requireNonNull(credit, "credit");
        if (!userSchemas.enabled()) {
            return pool.inTransaction("crediting",
                    h -> Credits.credit(h, credit, OptionalLong.empty(), false), durableSync::awaitDurable);
        }
        schemaChanges.lock();
        try {
            return creditWithUserSchema(credit);
        } finally {
            schemaChanges.unlock();
        }
    }

    private CreditResult creditWithUserSchema(PaymentCredit credit) {
        // The new account's schema must be complete before the account is committed, and DDL
        // commits on its own in H2: make it first under a fresh id, drop it if unused.
        OptionalLong prepared = OptionalLong.empty();
        for (int attempt = 0; attempt < 3; attempt++) {
            if (prepared.isEmpty() && pool.inTransaction("checking a credit", h -> Credits.wouldCreate(h, credit))) {
                prepared = OptionalLong.of(pool.inTransaction("preparing a user schema", h -> {
                    long id = Credits.nextUserId(h);
                    userSchemas.create(h, id);
                    return id;
                }));
            }
            OptionalLong newId = prepared;
            CreditResult result;
            try {
                result = pool.inTransaction("crediting", h -> Credits.credit(h, credit, newId, true),
                        durableSync::awaitDurable);
            } catch (Credits.SchemaNeeded raced) {
                continue;
            }
            if (prepared.isPresent() && result.userId() != prepared.getAsLong()) {
                long unused = prepared.getAsLong();
                pool.inTransaction("dropping an unused user schema", h -> {
                    userSchemas.drop(h, unused);
                    return null;
                });
            }
            return result;
        }
        throw new StoreException("H2 store failed crediting: accounts kept changing concurrently");
    }

    @Override
    public ReversalResult reverse(PaymentReversal reversal) {
        Objects.requireNonNull(reversal, "reversal");
        return pool.inTransaction("reversing a payment", h -> Reversals.reverse(h, reversal),
                durableSync::awaitDurable);
    }

    @Override
    public ReversalResult restore(PaymentRestoration restoration) {
        Objects.requireNonNull(restoration, "restoration");
        return pool.inTransaction("restoring a reversal", h -> Reversals.restore(h, restoration),
                durableSync::awaitDurable);
    }

    @Override
    public ClaimResult claimCheckout(CheckoutClaim claim) {
        Objects.requireNonNull(claim, "claim");
        return pool.inTransaction("claiming a checkout", h -> Claims.claim(h, claim), durableSync::awaitDurable);
    }

    @Override
    public boolean recordSettled(String operationId, String reason, Instant at) {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(at, "at");
        return pool.inTransaction("recording a settled operation",
                h -> Credits.recordSettled(h, operationId, reason, at), durableSync::awaitDurable);
    }

    @Override
    public boolean rotateToken(String oldTokenHash, String newTokenHash) {
        Objects.requireNonNull(oldTokenHash, "oldTokenHash");
        Objects.requireNonNull(newTokenHash, "newTokenHash");
        return pool.inTransaction("rotating a token", h -> Tokens.rotate(h, oldTokenHash, newTokenHash),
                durableSync::awaitDurable);
    }

    @Override
    public List<LedgerEntry> ledger(long userId) {
        return pool.inTransaction("reading a ledger", h -> AccountReads.ledger(h, userId));
    }

    @Override
    public boolean deleteUser(long userId) {
        if (!userSchemas.enabled()) {
            return pool.inTransaction("deleting a user", h -> Tokens.deleteAccount(h, userId),
                    durableSync::awaitDurable);
        }
        schemaChanges.lock();
        try {
            boolean deleted = pool.inTransaction("deleting a user", h -> Tokens.deleteAccount(h, userId),
                    durableSync::awaitDurable);
            if (deleted) {
                pool.inTransaction("dropping a user schema", h -> {
                    userSchemas.drop(h, userId);
                    return null;
                });
            }
            return deleted;
        } finally {
            schemaChanges.unlock();
        }
    }

    /** Closes every connection; an in-memory database is gone after its last store closes. Idempotent. */
    @Override
    public void close() {
        pool.close();
    }

    /**
     * Settings for an {@link H2UserStore}. Not thread-safe; {@link #build()} validates everything
     * at once and names every problem in one {@link ConfigurationException}.
     */
    public static final class Builder {

        /** The default {@link #chargeWriteDelay}, in milliseconds. */
        public static final int DEFAULT_WRITE_DELAY_MS = 100;

        private String memoryName;
        private Path file;
        private DataSource dataSource;
        private String version = "";
        private final List<AppMigration> migrations = new ArrayList<>();
        private Duration chargeWriteDelay = Duration.ofMillis(DEFAULT_WRITE_DELAY_MS);
        private int poolSize = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        /** Use an in-memory database of this name. Exactly one of the three locations is required. */
        public Builder inMemory(String name) {
            this.memoryName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Use the H2 file {@code path + ".mv.db"}. */
        public Builder file(Path path) {
            this.file = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Use connections from this data source (an H2 2.x database). */
        public Builder dataSource(DataSource source) {
            this.dataSource = Objects.requireNonNull(source, "dataSource");
            return this;
        }

        /**
         * Prefixes every schema the store uses, so a new version starts from empty data while the
         * old version's data stays in the database untouched. Letters, digits and single
         * underscores, at most 32; default empty.
         */
        public Builder version(String value) {
            this.version = Objects.requireNonNull(value, "version");
            return this;
        }

        /** Appends an application migration; they run in the order added, each once. */
        public Builder migration(AppMigration migration) {
            migrations.add(Objects.requireNonNull(migration, "migration"));
            return this;
        }

        /**
         * How long a committed charge may stay only in memory before H2 writes it to the file
         * (H2's {@code WRITE_DELAY}); zero writes at every commit. File mode only. This is the
         * window of charges a process crash can lose; credits are always forced to disk.
         */
        public Builder chargeWriteDelay(Duration delay) {
            this.chargeWriteDelay = Objects.requireNonNull(delay, "chargeWriteDelay");
            return this;
        }

        /** How many connections the store holds open; default max(4, 2 × processors). */
        public Builder poolSize(int size) {
            this.poolSize = size;
            return this;
        }

        /**
         * Opens the store: runs the built-in and application migrations and drops user schemas
         * left by a crash.
         *
         * @throws ConfigurationException if settings are missing or malformed
         * @throws StoreException         if the database cannot be opened or a migration fails
         *                                (the message names the migration and step; the
         *                                database was left as it was)
         */
        public H2UserStore build() {
            List<String> problems = new ArrayList<>();
            int locations = (memoryName != null ? 1 : 0) + (file != null ? 1 : 0) + (dataSource != null ? 1 : 0);
            if (locations != 1) {
                problems.add("exactly one of inMemory(name), file(path) and dataSource(ds) is required, got "
                        + locations);
            }
            if (memoryName != null && !memoryName.matches("[A-Za-z0-9_-]{1,100}")) {
                problems.add("inMemory name must be 1..100 letters, digits, '_' or '-'");
            }
            if (!Identifiers.isValidVersion(version)) {
                problems.add("version must be letters, digits and single underscores, at most 32");
            }
            if (chargeWriteDelay.isNegative() || chargeWriteDelay.toMillis() > 60_000) {
                problems.add("chargeWriteDelay must be between 0 and 60 s");
            }
            if (poolSize < 1 || poolSize > 256) {
                problems.add("poolSize must be between 1 and 256");
            }
            if (!problems.isEmpty()) {
                throw new ConfigurationException(problems);
            }
            List<AppMigration.UserTable> tables = new ArrayList<>();
            for (AppMigration m : migrations) {
                if (m instanceof AppMigration.UserTable t) {
                    tables.add(t);
                }
            }
            String aggregate = Identifiers.aggregateSchema(version);
            UserSchemas schemas = new UserSchemas(aggregate, tables);
            Migrator migrator = new Migrator(migrations, schemas);
            DataSource source = dataSource != null ? dataSource : h2DataSource();
            HandlePool pool = new HandlePool(source, poolSize, aggregate);
            try {
                boolean syncCredits = pool.inTransaction("opening the H2 store", h -> {
                    migrator.migrate(h);
                    schemas.dropOrphans(h);
                    return isH2File(h.getConnection());
                });
                pool.forgetLayouts();
                return new H2UserStore(pool, schemas, new DurableSync(syncCredits));
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        }

        private DataSource h2DataSource() {
            // QUERY_CACHE_SIZE=0: H2 2.5 walks every command of a session's query cache, collecting
            // its dependencies, the first time a transaction writes a table; with a cache of 64
            // that was a third of a charge's CPU time. The hot paths keep their prepared
            // statements in StatementCache instead, so they never parse twice either way.
            String common = ";QUERY_CACHE_SIZE=0;LOCK_TIMEOUT=10000";
            String url;
            if (memoryName != null) {
                url = "jdbc:h2:mem:" + memoryName + ";DB_CLOSE_DELAY=0" + common;
            } else {
                String base = file.toAbsolutePath().toString();
                if (base.endsWith(".mv.db")) {
                    base = base.substring(0, base.length() - ".mv.db".length());
                }
                // MAX_COMPACT_TIME=0: no chunk moving when the database closes. With it (H2's
                // default, 200 ms), a file closed and reopened, then SIGKILLed, failed to open
                // again ("Chunk N not found") within a few kills of CrashTest; without it, none in
                // 75 (see ADR.md). H2's background rewrite of sparse chunks still runs.
                url = "jdbc:h2:file:" + base + ";WRITE_DELAY=" + chargeWriteDelay.toMillis()
                        + ";MAX_COMPACT_TIME=0" + common;
            }
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            h2.setUser("sa");
            h2.setPassword("");
            return h2;
        }

        private static boolean isH2File(Connection connection) {
            try {
                String url = connection.getMetaData().getURL();
                return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
            } catch (SQLException e) {
                throw Sql.failure("reading the database URL", e);
            }
        }
    }

    // Unclaimed payments (ADR 31).

    @Override
    public boolean recordUnclaimed(UnclaimedPayment payment) {
        Objects.requireNonNull(payment, "payment");
        if (!payment.isOpen()) {
            throw new IllegalArgumentException("only an open payment is recorded as unclaimed");
        }
        return pool.inTransaction("recording an unclaimed payment", h -> Unclaimed.record(h, payment),
                durableSync::awaitDurable);
    }

    @Override
    public List<UnclaimedPayment> unclaimedPayments() {
        return pool.inTransaction("listing unclaimed payments", Unclaimed::all);
    }

    @Override
    public Optional<UnclaimedPayment> findUnclaimed(String unclaimedId) {
        Objects.requireNonNull(unclaimedId, "unclaimedId");
        return pool.inTransaction("reading an unclaimed payment", h -> Unclaimed.find(h, unclaimedId));
    }

    @Override
    public UnclaimedResolution assignUnclaimed(UnclaimedAssignment assignment) {
        Objects.requireNonNull(assignment, "assignment");
        return pool.inTransaction("assigning an unclaimed payment", h -> Unclaimed.assign(h, assignment),
                durableSync::awaitDurable);
    }

    @Override
    public UnclaimedResolution markUnclaimedRefunded(String unclaimedId, String note, Instant at) {
        Objects.requireNonNull(unclaimedId, "unclaimedId");
        Objects.requireNonNull(at, "at");
        return pool.inTransaction("marking an unclaimed payment refunded",
                h -> Unclaimed.markRefunded(h, unclaimedId, note, at), durableSync::awaitDurable);
    }

    // Grants of free credit (ADR 33). Giving and voiding are forced to disk like credits.

    @Override
    public GrantChange grant(CreditGrant grant) {
        Objects.requireNonNull(grant, "grant");
        return pool.inTransaction("giving a grant", h -> Grants.oneOff(h.getConnection(), s -> Grants.grant(s, grant)),
                durableSync::awaitDurable);
    }

    @Override
    public GrantChange voidGrant(GrantVoid grantVoid) {
        Objects.requireNonNull(grantVoid, "grantVoid");
        return pool.inTransaction("voiding a grant", h -> Grants.oneOff(h.getConnection(), s -> Grants.voidGrant(s, grantVoid)),
                durableSync::awaitDurable);
    }

    @Override
    public List<ExpiredGrant> expireGrants(long userId, Instant at) {
        Objects.requireNonNull(at, "at");
        return pool.inStatements("expiring grants", statements -> Grants.expire(statements::get, userId, at));
    }

    @Override
    public List<ExpiredGrant> expireGrants(Instant at) {
        Objects.requireNonNull(at, "at");
        List<Long> due = pool.inStatements("finding due grants", statements -> Grants.accountsDue(statements::get, at));
        List<ExpiredGrant> expired = new ArrayList<>();
        for (long userId : due) {
            expired.addAll(expireGrants(userId, at));
        }
        return expired;
    }

    @Override
    public List<Grant> grants(long userId) {
        return pool.inStatements("reading grants", statements -> Grants.all(statements::get, userId));
    }
}
