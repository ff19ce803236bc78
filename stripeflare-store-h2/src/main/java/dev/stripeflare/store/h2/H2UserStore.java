package dev.stripeflare.store.h2;

import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.ConfigurationException;
import dev.stripeflare.Grant;
import dev.stripeflare.HoldState;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.StoreException;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.spi.Adjustment;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.ExpiredGrant;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.spi.GrantVoid;
import dev.stripeflare.spi.HoldCapture;
import dev.stripeflare.spi.HoldChange;
import dev.stripeflare.spi.Reservation;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.StoreHealth;
import dev.stripeflare.spi.UnclaimedAssignment;
import dev.stripeflare.spi.UnclaimedResolution;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
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
 *
 * <p><b>Storage failures (file mode).</b> When a write to the file fails (a full disk, an I/O
 * error), the store learns it from the first call whose commit, forced write or rollback reports
 * it. From then on it acknowledges nothing: that call and every later one throws a
 * {@link StoreException} saying "storage failed", a call that was already running when the
 * failure was recorded is not acknowledged either, one ERROR is logged (through
 * {@link System.Logger}, named after this class), and {@link #health()} says DOWN. A later call
 * (or {@code health()}), at most once per {@link Builder#storageRetryInterval}, tries to
 * recover: it writes and forces 1 MiB beside the file; when that works, it waits for every
 * connection to come back, shuts the old database down as a crash would, reopens the file
 * (never creating a new one), forces a write through H2, and the store serves calls again,
 * without a restart. What a storage failure can lose is exactly what a
 * crash can: charges committed in the {@code chargeWriteDelay} window before H2 reported the
 * failed write (H2 reports a background write's failure only to a later commit); never a credit
 * (each is forced to disk before it returns), and never anything acknowledged after the store
 * knew of the failure.
 *
 * <p><b>Backups.</b> {@link #backupTo} writes a consistent copy while the store runs;
 * {@link #restore} puts one back. Never copy the live {@code .mv.db} file as a backup.
 */
public final class H2UserStore implements UserStore {

    private final HandlePool pool;
    private final UserSchemas userSchemas;
    private final DurableSync durableSync;
    private final H2Admin admin;
    private final OpenFiles.Claim file;
    private final H2Health health;
    // With per-user schemas, credits and deletions run DDL; concurrent H2 DDL waits on other
    // sessions' locks up to LOCK_TIMEOUT and retries, which under a burst of credits cascaded
    // into minute-long stalls (ConcurrencyTest). They are rare: one at a time is enough.
    private final ReentrantLock schemaChanges = new ReentrantLock();

    private H2UserStore(HandlePool pool, UserSchemas userSchemas, DurableSync durableSync, OpenFiles.Claim file,
                        H2Health health) {
        this.pool = pool;
        this.file = file;
        this.userSchemas = userSchemas;
        this.durableSync = durableSync;
        this.admin = new H2Admin(pool);
        this.health = health;
    }

    /**
     * A store in a private in-memory database called {@code name}; stores with the same name in
     * one JVM share it. The data is gone when the last store on it closes.
     *
     * @param name the database's name, unique in this JVM
     * @return the open store
     */
    public static H2UserStore inMemory(String name) {
        return builder().inMemory(name).build();
    }

    /**
     * A store in the H2 file {@code path + ".mv.db"} (a trailing {@code .mv.db} in {@code path}
     * is accepted), created if missing. One store per file: the store owns the database until
     * {@link #close()}.
     *
     * @param path the database file, without {@code .mv.db}
     * @return the open store
     * @throws StoreException         if the file cannot be opened (e.g. another process holds it)
     * @throws ConfigurationException if another store of this JVM has the file open
     */
    public static H2UserStore file(Path path) {
        return builder().file(path).build();
    }

    /**
     * A store on connections from {@code dataSource}, which must reach an H2 2.x database. The
     * store keeps {@link Builder#poolSize} connections open until {@link #close()}. For a file
     * database, put {@code MAX_COMPACT_TIME=0} in its URL as {@link #file} does: H2's chunk moving
     * on close has left files that a later crash made unreadable (see ADR.md). Put
     * {@code DB_CLOSE_ON_EXIT=FALSE} in it too, and close the database after the application has
     * drained: else H2's own shutdown hook closes it the moment the JVM begins to exit, and every
     * call still running fails.
     *
     * @param dataSource the application's H2 database
     * @return the open store
     */
    public static H2UserStore of(DataSource dataSource) {
        return builder().dataSource(dataSource).build();
    }

    /**
     * A builder for migrations, version, write delay and pool size.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Typed, read-only queries over all accounts.
     *
     * @return read-only admin queries
     */
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

    /** A charge's answer with the grants its committed transaction expired. */
    private record Charged(ChargeResult result, List<ExpiredGrant> expired) { }

    /** {@inheritDoc} Here: the expiries of the attempt that committed, read from its connection. */
    @Override
    public ChargeResult charge(Debit debit, java.util.function.Consumer<ExpiredGrant> expiredInside) {
        Objects.requireNonNull(debit, "debit");
        Objects.requireNonNull(expiredInside, "expiredInside");
        Charged charged = pool.inStatements("charging", statements -> {
            statements.collectChargeExpiries();
            try {
                ChargeResult result = Charges.charge(statements, debit);
                return new Charged(result, statements.takeChargeExpiries());
            } finally {
                statements.takeChargeExpiries();
            }
        });
        charged.expired().forEach(expiredInside);
        return charged.result();
    }

    @Override
    public dev.stripeflare.spi.OpenedAccount openAccount(String tokenHash, Instant at) {
        dev.stripeflare.spi.TokenHashes.requireWellFormed(tokenHash);
        Objects.requireNonNull(at, "at");
        if (!userSchemas.enabled()) {
            return pool.inTransaction("opening an account",
                    h -> Credits.open(h, tokenHash, at, OptionalLong.empty()), durableSync::awaitDurable);
        }
        schemaChanges.lock();
        try {
            // As creditWithUserSchema: the schema is made first under a fresh id, dropped if unused.
            dev.stripeflare.spi.OpenedAccount known = pool.inTransaction("checking a token",
                    h -> Credits.open(h, tokenHash, at, OptionalLong.of(-1)));
            if (known != null) {
                return known;
            }
            long prepared = pool.inTransaction("preparing a user schema", h -> {
                long id = Credits.nextUserId(h);
                userSchemas.create(h, id);
                return id;
            });
            dev.stripeflare.spi.OpenedAccount opened = pool.inTransaction("opening an account",
                    h -> Credits.open(h, tokenHash, at, OptionalLong.of(prepared)), durableSync::awaitDurable);
            if (opened.userId() != prepared) {
                pool.inTransaction("dropping an unused user schema", h -> {
                    userSchemas.drop(h, prepared);
                    return null;
                });
            }
            return opened;
        } finally {
            schemaChanges.unlock();
        }
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

    /**
     * Writes a consistent copy of the whole database, as of one moment, to the new zip file
     * {@code target}, while the store keeps serving calls (H2's online {@code BACKUP TO}). Every
     * credit acknowledged before this call started is in it; charges acknowledged before it
     * started are in it too. The file appears only when complete (written under a temporary
     * name beside it, forced to disk, then moved into place). Restore it with
     * {@link #restore(Path, Path)}.
     *
     * <p><b>Never copy the live {@code .mv.db} file</b> (with {@code cp}, rsync or a volume
     * snapshot that is not atomic) as a backup: H2 rewrites it while you copy, and such copies
     * taken under load did not open (2 of 30 in one test). Use this method, or stop the store
     * first.
     *
     * @param target the zip file to write
     * @throws BackupException if {@code target} exists, its directory does not exist, or the
     *                         store is in memory; nothing was written then
     * @throws StoreException  if the database could not be read, or the copy could not be
     *                         written (e.g. the target's disk is full); no {@code target} was left
     */
    public void backupTo(Path target) {
        Objects.requireNonNull(target, "target");
        Backups.backup(pool, durableSync.enabled(), target);
    }

    /**
     * Restores a backup made by {@link #backupTo} into the H2 file {@code databaseFile}
     * ({@code + ".mv.db"}, as {@link #file} names it), refusing to replace an existing database.
     * Open the store on that file afterwards.
     *
     * @param backupZip    a zip {@link #backupTo} wrote
     * @param databaseFile the database file to create, without {@code .mv.db}
     * @throws BackupException if the backup is missing or not a backup of an H2 store, the
     *                         database file exists, or its directory does not; nothing was
     *                         written then
     */
    public static void restore(Path backupZip, Path databaseFile) {
        restore(backupZip, databaseFile, false);
    }

    /**
     * As {@link #restore(Path, Path)}; with {@code replaceExisting}, an existing database file is
     * replaced (atomically, after the backup was extracted and checked), unless it is open by a
     * store or another process (H2 holds a lock on an open file), which is refused.
     *
     * @param backupZip       a zip {@link #backupTo} wrote
     * @param databaseFile    the database file, without {@code .mv.db}
     * @param replaceExisting whether an existing, closed database is replaced
     * @throws BackupException as {@link #restore(Path, Path)}, and if the database is open;
     *                         nothing was replaced then
     */
    public static void restore(Path backupZip, Path databaseFile, boolean replaceExisting) {
        Objects.requireNonNull(backupZip, "backupZip");
        Objects.requireNonNull(databaseFile, "databaseFile");
        Backups.restore(backupZip, databaseFile, replaceExisting);
    }

    /**
     * UP, DEGRADED when the disk holding the file has less than {@link Builder#lowDiskSpace} free,
     * or DOWN after a storage failure (until the store recovered) and after {@link #close()};
     * with the file's size, the disk's free bytes and the last storage failure. While the
     * storage is failed, this call may be the one that reopens the database (see
     * {@link Builder#storageRetryInterval}). Never throws.
     */
    @Override
    public StoreHealth health() {
        return health.now();
    }

    /**
     * Closes every connection, and with the last one the database: a file is then complete on disk
     * (charges included) and free for the next store; an in-memory database is gone. The store's
     * own databases are never closed by H2 at JVM exit ({@code DB_CLOSE_ON_EXIT=FALSE}): close the
     * store (or the wallet that holds it) at the end of the application's shutdown, after its last
     * call. A JVM that exits without closing it leaves the file as a crash would. Idempotent.
     */
    @Override
    public void close() {
        try {
            pool.close();
        } finally {
            file.close();
        }
    }

    /**
     * Settings for an {@link H2UserStore}. Not thread-safe; {@link #build()} validates everything
     * at once and names every problem in one {@link ConfigurationException}.
     */
    public static final class Builder {

        /** The default {@link #lowDiskSpace}: 256 MiB. */
        public static final long DEFAULT_LOW_DISK_SPACE_BYTES = 256L << 20;

        /** The default {@link #chargeWriteDelay}, in milliseconds. */
        public static final int DEFAULT_WRITE_DELAY_MS = 100;

        private String memoryName;
        private Path file;
        private DataSource dataSource;
        private String version = "";
        private boolean startEmptyBesideOlderData;
        private final List<AppMigration> migrations = new ArrayList<>();
        private Duration chargeWriteDelay = Duration.ofMillis(DEFAULT_WRITE_DELAY_MS);
        private int poolSize = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private Duration storageRetryInterval = Duration.ofSeconds(1);
        private long lowDiskSpaceBytes = DEFAULT_LOW_DISK_SPACE_BYTES;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Use an in-memory database of this name. Exactly one of the three locations is required.
         *
         * @param name the database's name, unique in this JVM
         * @return this builder
         */
        public Builder inMemory(String name) {
            this.memoryName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Use the H2 file {@code path + ".mv.db"}.
         *
         * @param path the database file, without {@code .mv.db}
         * @return this builder
         */
        public Builder file(Path path) {
            this.file = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Use connections from this data source (an H2 2.x database).
         *
         * @param source the application's H2 database
         * @return this builder
         */
        public Builder dataSource(DataSource source) {
            this.dataSource = Objects.requireNonNull(source, "dataSource");
            return this;
        }

        /**
         * Prefixes every schema the store uses, so a new version starts from empty data while the
         * old version's data stays in the database untouched. Letters, digits and single
         * underscores, at most 32, case-insensitive; default empty. Starting a version that has no
         * data yet in a database where another version holds accounts is refused unless
         * {@link #startEmptyBesideOlderData()} says it is meant.
         *
         * @param value the version name
         * @return this builder
         */
        public Builder version(String value) {
            this.version = Objects.requireNonNull(value, "version");
            return this;
        }

        /**
         * Allows {@link #version} to start from empty data although other versions in the same
         * database hold accounts (they stay untouched; their users do not see their balances in
         * this version). Without it, {@link #build()} refuses such a start with a
         * {@link ConfigurationException} that names those versions and their account counts.
         *
         * @return this builder
         */
        public Builder startEmptyBesideOlderData() {
            this.startEmptyBesideOlderData = true;
            return this;
        }

        /**
         * Appends an application migration; they run in the order added, each once.
         *
         * @param migration the migration
         * @return this builder
         */
        public Builder migration(AppMigration migration) {
            migrations.add(Objects.requireNonNull(migration, "migration"));
            return this;
        }

        /**
         * How long a committed charge may stay only in memory before H2 writes it to the file
         * (H2's {@code WRITE_DELAY}); zero writes at every commit. File mode only. This is the
         * window of charges a process crash can lose; credits are always forced to disk.
         *
         * @param delay how long a charge's write may wait
         * @return this builder
         */
        public Builder chargeWriteDelay(Duration delay) {
            this.chargeWriteDelay = Objects.requireNonNull(delay, "chargeWriteDelay");
            return this;
        }

        /**
         * How many connections the store holds open; default max(4, 2 × processors).
         *
         * @param size the number of connections
         * @return this builder
         */
        public Builder poolSize(int size) {
            this.poolSize = size;
            return this;
        }

        /**
         * After a storage failure (file mode), how long the store waits between attempts to
         * reopen the database; an attempt is made by a call (or {@link H2UserStore#health()}),
         * never by a background thread, and every call in between fails at once. Default 1 s;
         * 0 to 60 s.
         *
         * @param interval the time between retries
         * @return this builder
         */
        public Builder storageRetryInterval(Duration interval) {
            this.storageRetryInterval = Objects.requireNonNull(interval, "storageRetryInterval");
            return this;
        }

        /**
         * Below how many free bytes on the file's disk {@link H2UserStore#health()} says
         * DEGRADED; default {@value #DEFAULT_LOW_DISK_SPACE_BYTES} (256 MiB).
         *
         * @param bytes the free space below which health reports low disk space
         * @return this builder
         */
        public Builder lowDiskSpace(long bytes) {
            this.lowDiskSpaceBytes = bytes;
            return this;
        }

        /**
         * Where {@link H2UserStore#health()} reads the time of a storage failure; default UTC system clock.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Opens the store: repairs what a process killed during a migration left, runs the
         * built-in and application migrations (each step re-runnable, so an interrupted migration
         * is finished and recorded once) and drops user schemas left by a crash.
         *
         * @return the open store; closing it closes the database
         * @throws ConfigurationException if settings are missing or malformed, if another store of
         *                                this JVM has the file open, or if {@link #version} would
         *                                start empty beside other versions' accounts without
         *                                {@link #startEmptyBesideOlderData()}
         * @throws StoreException         if the database cannot be opened, was written by a newer
         *                                store schema than this release knows (nothing is run),
         *                                or a migration fails (the message names the migration
         *                                and step, what was undone, and what state it left)
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
            if (storageRetryInterval.isNegative() || storageRetryInterval.toMillis() > 60_000) {
                problems.add("storageRetryInterval must be between 0 and 60 s");
            }
            if (lowDiskSpaceBytes < 0) {
                problems.add("lowDiskSpace must not be negative");
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
            OpenFiles.Claim claim = file != null ? OpenFiles.claim(Path.of(fileBase() + ".mv.db")) : OpenFiles.none();
            try {
                return open(dataSource != null ? dataSource : h2DataSource(""), aggregate, schemas, migrator, claim);
            } catch (RuntimeException e) {
                claim.close();
                throw e;
            }
        }

        private H2UserStore open(DataSource source, String aggregate, UserSchemas schemas, Migrator migrator,
                OpenFiles.Claim claim) {
            MigrationBackup backup = file != null ? MigrationBackup.of(fileBase()) : null;
            if (backup != null) {
                backup.restoreIfInterrupted();
            }
            Connection probe = null;
            try {
                // The checks read through a connection of their own, kept open until the pool is,
                // so the database is loaded once (twice when a backup is taken while it is closed).
                probe = source.getConnection();
                SchemaGuard.check(probe, aggregate, version, startEmptyBesideOlderData);
                boolean backedUp = backup != null && MigrationBackup.needed(probe, aggregate, migrator.ids());
                if (backedUp) {
                    probe.close(); // the only connection: H2 closes the file
                    backup.take();
                    probe = source.getConnection();
                }
                StorageFailures failures = new StorageFailures(clock, storageRetryInterval);
                HandlePool pool = new HandlePool(source, poolSize, aggregate, failures);
                try {
                    String url = pool.inTransaction("opening the H2 store", h -> {
                        migrator.migrate(h, aggregate);
                        schemas.dropOrphans(h);
                        return urlOf(h.getConnection());
                    });
                    if (backedUp) {
                        pool.inTransaction("forcing the migrations to disk", h -> h.execute("CHECKPOINT SYNC"));
                        backup.discard();
                    }
                    pool.forgetLayouts();
                    boolean syncCredits = isH2File(url);
                    Optional<DatabaseFile> databaseFile = syncCredits ? DatabaseFile.ofUrl(url) : Optional.empty();
                    if (syncCredits) {
                        // Reopening must never create an empty database where the file went missing.
                        DataSource reopenSource = dataSource != null ? dataSource : h2DataSource(";IFEXISTS=TRUE");
                        failures.supervise(new StorageRecovery(pool, reopenSource, databaseFile, schemas)::reopen);
                    }
                    return new H2UserStore(pool, schemas, new DurableSync(syncCredits), claim,
                            new H2Health(pool, failures, databaseFile, lowDiskSpaceBytes));
                } catch (RuntimeException e) {
                    pool.close();
                    if (backedUp && e instanceof MigrationFailure failure && failure.undone()) {
                        // Undone completely: the file is as its message says, the copy not needed.
                        backup.discard();
                    }
                    // Else a copy taken stays: the next open starts again from the file as it was.
                    throw e;
                }
            } catch (SQLException e) {
                throw Sql.failure("opening the H2 store", e);
            } finally {
                closeQuietly(probe);
            }
        }

        private static void closeQuietly(Connection connection) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // The pool's connections keep the database open; this one only read.
                }
            }
        }

        private String fileBase() {
            String base = file.toAbsolutePath().toString();
            return base.endsWith(".mv.db") ? base.substring(0, base.length() - ".mv.db".length()) : base;
        }

        private DataSource h2DataSource(String extra) {
            // QUERY_CACHE_SIZE=0: H2 2.5 walks every command of a session's query cache, collecting
            // its dependencies, the first time a transaction writes a table; with a cache of 64
            // that was a third of a charge's CPU time. The hot paths keep their prepared
            // statements in StatementCache instead, so they never parse twice either way.
            // DB_CLOSE_ON_EXIT=FALSE: close() owns the database's lifetime. H2's default closes it
            // from its own shutdown hook, which runs at once on SIGTERM, beside the application's
            // hooks: a server draining its last requests then failed every charge (ADR 28).
            String common = ";QUERY_CACHE_SIZE=0;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE";
            String url;
            if (memoryName != null) {
                url = "jdbc:h2:mem:" + memoryName + ";DB_CLOSE_DELAY=0" + common;
            } else {
                String base = fileBase();
                // MAX_COMPACT_TIME=0: no chunk moving when the database closes. With it (H2's
                // default, 200 ms), a file closed and reopened, then SIGKILLed, failed to open
                // again ("Chunk N not found") within a few kills of CrashTest; without it, none in
                // 75 (see ADR.md). H2's background rewrite of sparse chunks still runs.
                url = "jdbc:h2:file:" + base + ";WRITE_DELAY=" + chargeWriteDelay.toMillis()
                        + ";MAX_COMPACT_TIME=0;RETENTION_TIME=" + Compaction.RETENTION_TIME_MS + common;
            }
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url + extra);
            h2.setUser("sa");
            h2.setPassword("");
            return h2;
        }

        private static boolean isH2File(String url) {
            return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
        }

        private static String urlOf(Connection connection) {
            try {
                return connection.getMetaData().getURL();
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

    // Adjustments (issue 13, ADR 32).

    @Override
    public AdjustmentResult adjust(Adjustment adjustment) {
        Objects.requireNonNull(adjustment, "adjustment");
        return pool.inTransaction("adjusting a balance", h -> Adjustments.adjust(h, adjustment),
                durableSync::awaitDurable);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each kind is deleted in its own short transaction through an index on its time; no
     * fsync is forced (a crash can only undo a prune, which the next call redoes).
     */
    @Override
    public dev.stripeflare.MaintenanceReport maintain(dev.stripeflare.spi.MaintenanceRequest request) {
        Objects.requireNonNull(request, "request");
        return Maintenance.run(pool, request);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Finds the accounts by scanning the ledger (there is no index on its time), then rolls
     * each up in its own transaction, forced to disk like a credit.
     */
    @Override
    public dev.stripeflare.ArchiveReport archiveBefore(Instant before, dev.stripeflare.LedgerArchive sink) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(sink, "sink");
        List<Long> accounts = pool.inTransaction("finding ledgers to archive", h -> LedgerRollUp.candidates(h, before));
        int rolled = 0;
        long entries = 0;
        for (long userId : accounts) {
            int archived;
            try {
                archived = pool.inTransaction("archiving a ledger",
                        h -> LedgerRollUp.rollUp(h, userId, before, LedgerRollUp.SinkFailed.guard(sink)),
                        durableSync::awaitDurable);
            } catch (StoreException e) {
                throw LedgerRollUp.SinkFailed.unwrap(e);
            }
            if (archived > 0) {
                rolled++;
                entries += archived;
            }
        }
        return new dev.stripeflare.ArchiveReport(rolled, entries);
    }

    /**
     * Compacts an H2 file online for at most about {@code budget}: the live pages of sparse
     * chunks are rewritten, so the file stops growing once {@link #maintain} keeps the data
     * bounded (ADR 30). Safe to call while the store is in use; never moves chunks within the
     * file, so it does not shrink a file that has grown (use {@code SHUTDOWN COMPACT} offline).
     * Schedule it with {@code maintain}, e.g. every minute with a budget of 100 ms. Does nothing
     * for an in-memory database or one reached through a server.
     *
     * @param budget how long it may run
     * @return what was compacted
     * @throws StoreException if the store fails or is closed
     */
    public H2Compaction compact(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        return pool.inTransaction("compacting the file", h -> Compaction.storeOf(h.getConnection())
                .map(store -> Compaction.run(store, budget))
                .orElseGet(() -> new H2Compaction(0, 0, 100, 0, Duration.ZERO)));
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
        return pool.inStatements("expiring grants", statements -> Grants.expire(statements, userId, at));
    }

    @Override
    public List<ExpiredGrant> expireGrants(Instant at) {
        Objects.requireNonNull(at, "at");
        List<Long> due = pool.inStatements("finding due grants", statements -> Grants.accountsDue(statements, at));
        List<ExpiredGrant> expired = new ArrayList<>();
        for (long userId : due) {
            expired.addAll(expireGrants(userId, at));
        }
        return expired;
    }

    @Override
    public List<Grant> grants(long userId) {
        return pool.inStatements("reading grants", statements -> Grants.all(statements, userId));
    }

    // Holds (ADR 34): on kept statements like charges, the hot path they share.

    @Override
    public HoldChange reserve(Reservation reservation) {
        Objects.requireNonNull(reservation, "reservation");
        return pool.inStatements("reserving", statements -> Holds.reserve(statements, reservation));
    }

    @Override
    public HoldChange capture(HoldCapture capture) {
        Objects.requireNonNull(capture, "capture");
        return pool.inStatements("capturing", statements -> Holds.capture(statements, capture));
    }

    @Override
    public HoldChange release(long holdId, Instant at) {
        Objects.requireNonNull(at, "at");
        return pool.inStatements("releasing a hold", statements -> Holds.release(statements, holdId, at));
    }

    @Override
    public List<HoldState> expireHolds(long userId, Instant at) {
        Objects.requireNonNull(at, "at");
        return pool.inStatements("expiring holds", statements -> Holds.expire(statements, userId, at));
    }

    @Override
    public List<HoldState> expireHolds(Instant at) {
        Objects.requireNonNull(at, "at");
        List<Long> due = pool.inStatements("finding due holds", statements -> Holds.accountsDue(statements, at));
        List<HoldState> expired = new ArrayList<>();
        for (long userId : due) {
            expired.addAll(expireHolds(userId, at));
        }
        return expired;
    }

    @Override
    public List<HoldState> holds(long userId) {
        return pool.inStatements("reading holds", statements -> Holds.all(statements, userId));
    }

    @Override
    public Optional<HoldState> findHold(long holdId) {
        return pool.inStatements("reading a hold", statements -> Holds.find(statements, holdId));
    }
}
