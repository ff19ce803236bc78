package dev.stripeflare.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.ChargeResult;
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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A {@link UserStore} on a shared PostgreSQL database, so that several application instances
 * (JVMs, hosts) can use one wallet at once.
 *
 * <pre>{@code
 * UserStore store = PostgresUserStore.of(applicationDataSource);        // the application's pool
 * PostgresUserStore owned = PostgresUserStore.builder()                 // a HikariCP pool of its own
 *         .jdbcUrl("jdbc:postgresql://db:5432/app").username("app").password(secret)
 *         .schema("stripeflare").build();
 * }</pre>
 *
 * <p><b>Guarantees.</b> Every method of {@link UserStore} is atomic as that interface describes
 * and runs as one PostgreSQL transaction (a charge without an idempotency key: one statement).
 * Charges commit without waiting for their WAL flush unless
 * {@link Builder#synchronousCharges} says so: a crash of the database server may lose the
 * charges of its last moments (never a credit; see there). Nothing is locked in the JVM: every
 * guarantee holds across instances because it lives in SQL — a conditional {@code UPDATE … WHERE balance >= ?} for charges, unique keys for operation
 * ids, idempotency keys and token hashes, and row locks on the payment, checkout, payer
 * identity and account rows for the steps that decide. Steps run at READ COMMITTED (the pool
 * this store owns is configured so; with an application's pool, whatever it uses — stricter
 * levels are correct too); a step PostgreSQL aborts for a deadlock or serialization failure is
 * rerun inside the store, a bounded number of times. Failures are {@link StoreException}s and
 * change nothing; a balance beyond a {@code long} is an
 * {@link dev.stripeflare.InvalidAmountException}.
 *
 * <p><b>Schema.</b> All tables live in one schema ({@code of}: the connection's current
 * schema; the builder: {@link Builder#schema}, default {@code stripeflare}), created and migrated
 * on start under an advisory lock, so instances starting together migrate once; applied
 * versions are recorded in its {@code schema_version} table. Instants are kept to the
 * microsecond, PostgreSQL's precision. The application adds account columns (custom fields) and
 * per-user tables through {@link AppMigration}s; {@link #admin()} offers typed read-only queries.
 *
 * <p><b>Lifecycle.</b> {@link #close()} closes the pool only when the store built it; calls
 * after {@code close()} throw {@link StoreException}. {@link #toString()} never shows a password.
 */
public final class PostgresUserStore implements UserStore {

    /** The schema the builder uses unless told otherwise. */
    public static final String DEFAULT_SCHEMA = "stripeflare";

    private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern VERSION = Pattern.compile("[a-z0-9]+(_[a-z0-9]+)*");

    private final String description;
    private final HikariDataSource ownedPool;
    private final Jdbi jdbi;
    private final Sql sql;
    private final Transactions tx;
    private final GrantSteps grantSteps;
    private final Accounts accounts;
    private final Charges charges;
    private final Credits credits;
    private final Reversals reversals;
    private final Claims claims;
    private final TokenSteps tokenSteps;
    private final Operations operations;
    private final PostgresAdmin admin;
    private static final int HEALTH_TIMEOUT_SECONDS = 2;

    private final Unclaimed unclaimed;
    private volatile boolean closed;

    private PostgresUserStore(DataSource dataSource, String schema, HikariDataSource ownedPool, String description,
                              boolean synchronousCharges, List<AppMigration> appMigrations) {
        this.ownedPool = ownedPool;
        this.jdbi = Sql.configure(Jdbi.create(dataSource));
        String resolved = schema != null ? schema : currentSchema(jdbi, description);
        this.description = description + ", schema " + resolved;
        this.sql = new Sql(resolved);
        this.tx = new Transactions(jdbi, "PostgreSQL store (" + this.description + ")");
        List<String> customColumns = migrate(appMigrations);
        this.accounts = new Accounts(sql, customColumns);
        Balances balances = new Balances(sql);
        this.operations = new Operations(sql);
        PaymentRows payments = new PaymentRows(sql);
        CheckoutRows checkouts = new CheckoutRows(sql);
        TokenRows tokens = new TokenRows(sql);
        PayerIdentities identities = new PayerIdentities(sql);
        this.charges = new Charges(sql, tx, synchronousCharges);
        this.credits = new Credits(sql, tx, accounts, balances, operations, payments, checkouts, tokens, identities);
        this.reversals = new Reversals(tx, accounts, balances, operations, payments);
        this.claims = new Claims(tx, accounts, checkouts, tokens, identities);
        this.tokenSteps = new TokenSteps(sql, tx, accounts, tokens);
        this.admin = new PostgresAdmin(sql, tx, accounts, this::ensureOpen);
        this.unclaimed = new Unclaimed(sql, tx, accounts, balances, operations, payments);
        this.adjustments = new Adjustments(sql, tx);
        this.grantSteps = new GrantSteps(sql);
    }

    /**
     * A store on the application's own pool, in the schema its connections have as current
     * schema (usually {@code public}). The store never closes that pool.
     *
     * @param dataSource the application's pool
     * @return the open store
     * @throws StoreException if the database cannot be reached or migrated
     */
    public static PostgresUserStore of(DataSource dataSource) {
        return new PostgresUserStore(Objects.requireNonNull(dataSource, "dataSource"), null, null,
                "application data source", false, List.of());
    }

    /**
     * As {@link #of(DataSource)}, in {@code schema} (created when missing).
     *
     * @param dataSource the application's pool
     * @param schema     the schema, created when missing
     * @return the open store
     * @throws IllegalArgumentException if {@code schema} is not a plain identifier
     */
    public static PostgresUserStore of(DataSource dataSource, String schema) {
        return new PostgresUserStore(Objects.requireNonNull(dataSource, "dataSource"), checkSchema(schema), null,
                "application data source", false, List.of());
    }

    /**
     * A builder: a HikariCP pool of the store's own ({@code jdbcUrl}), or the application's ({@code dataSource}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<UserRecord> findByTokenHash(String tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        ensureOpen();
        return tx.autocommit("finding an account", h -> accounts.byTokenHash(h, tokenHash));
    }

    @Override
    public Optional<UserRecord> findById(long userId) {
        ensureOpen();
        return tx.autocommit("finding an account", h -> accounts.byId(h, userId));
    }

    @Override
    public Optional<UserRecord> findByCardFingerprint(String cardFingerprint) {
        Objects.requireNonNull(cardFingerprint, "cardFingerprint");
        ensureOpen();
        return tx.autocommit("finding an account", h -> accounts.oldestByCard(h, cardFingerprint));
    }

    @Override
    public Optional<UserRecord> findByVerifiedEmail(String verifiedEmail) {
        Objects.requireNonNull(verifiedEmail, "verifiedEmail");
        ensureOpen();
        return tx.autocommit("finding an account", h -> accounts.oldestByVerifiedEmail(h, verifiedEmail));
    }

    @Override
    public ChargeResult charge(Debit debit) {
        Objects.requireNonNull(debit, "debit");
        ensureOpen();
        return charges.charge(debit);
    }

    /** {@inheritDoc} Here: only an expiry whose transaction committed is handed over. */
    @Override
    public ChargeResult charge(Debit debit, java.util.function.Consumer<dev.stripeflare.spi.ExpiredGrant> expiredInside) {
        Objects.requireNonNull(debit, "debit");
        Objects.requireNonNull(expiredInside, "expiredInside");
        ensureOpen();
        return charges.charge(debit, expiredInside);
    }

    @Override
    public dev.stripeflare.spi.OpenedAccount openAccount(String tokenHash, Instant at) {
        dev.stripeflare.spi.TokenHashes.requireWellFormed(tokenHash);
        Objects.requireNonNull(at, "at");
        ensureOpen();
        return credits.open(tokenHash, at);
    }

    @Override
    public CreditResult credit(PaymentCredit credit) {
        Objects.requireNonNull(credit, "credit");
        ensureOpen();
        return credits.credit(credit);
    }

    @Override
    public ReversalResult reverse(PaymentReversal reversal) {
        Objects.requireNonNull(reversal, "reversal");
        ensureOpen();
        return reversals.reverse(reversal);
    }

    @Override
    public ReversalResult restore(PaymentRestoration restoration) {
        Objects.requireNonNull(restoration, "restoration");
        ensureOpen();
        return reversals.restore(restoration);
    }

    @Override
    public ClaimResult claimCheckout(CheckoutClaim claim) {
        Objects.requireNonNull(claim, "claim");
        ensureOpen();
        return claims.claim(claim);
    }

    @Override
    public boolean recordSettled(String operationId, String reason, Instant at) {
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(at, "at");
        ensureOpen();
        return tx.autocommit("recording a settled operation", h -> operations.claim(h, operationId,
                Operations.Kind.SETTLED, null, null, reason, at));
    }

    @Override
    public boolean rotateToken(String oldTokenHash, String newTokenHash) {
        Objects.requireNonNull(oldTokenHash, "oldTokenHash");
        Objects.requireNonNull(newTokenHash, "newTokenHash");
        ensureOpen();
        return tokenSteps.rotate(oldTokenHash, newTokenHash);
    }

    @Override
    public List<LedgerEntry> ledger(long userId) {
        ensureOpen();
        return tx.autocommit("reading a ledger", h -> accounts.ledger(h, userId));
    }

    @Override
    public boolean deleteUser(long userId) {
        ensureOpen();
        return tokenSteps.delete(userId);
    }

    /**
     * Typed, read-only queries over all accounts (dashboards, support).
     *
     * @return read-only admin queries
     */
    public PostgresAdmin admin() {
        return admin;
    }

    /**
     * The schema this store's tables live in.
     *
     * @return the schema's name
     */
    public String schema() {
        return sql.schema();
    }

    /**
     * The schema version applied in the database (see {@code schema_version}).
     *
     * @return the version of the schema's tables
     */
    public int schemaVersion() {
        ensureOpen();
        return tx.autocommit("reading the schema version", h -> h.createQuery(
                sql.of("SELECT coalesce(max(version), 0) FROM @schema_version")).mapTo(Integer.class).one());
    }

    /**
     * How many times a step was rerun after PostgreSQL aborted it for a conflict; for monitoring and tests.
     *
     * @return the reruns so far
     */
    public int conflictRetries() {
        return tx.retries();
    }

    @Override
    public void close() {
        closed = true;
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    /** The pool's kind, the URL without password, and the schema. */
    @Override
    public String toString() {
        return "PostgresUserStore[" + description + "]";
    }

    /** Migrates the schema; the application's custom columns of the accounts table. */
    private List<String> migrate(List<AppMigration> appMigrations) {
        try (Handle h = jdbi.open()) {
            int applied = Migrations.migrate(h, sql, appMigrations);
            if (applied > Migrations.latest()) {
                throw new StoreException("PostgreSQL store (" + description + "): the schema is at version "
                        + applied + ", newer than this library knows (" + Migrations.latest() + ")");
            }
            return Migrations.customColumns(h, sql);
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException("PostgreSQL store (" + description + ") could not migrate its schema: "
                    + Sql.detail(e), e);
        }
    }

    private static String currentSchema(Jdbi jdbi, String description) {
        try (Handle h = jdbi.open()) {
            return h.createQuery("SELECT current_schema()").mapTo(String.class).findOne()
                    .orElseThrow(() -> new StoreException("PostgreSQL store (" + description
                            + "): the connection has no current schema; pass one"));
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException("PostgreSQL store (" + description + ") could not connect: "
                    + Sql.detail(e), e);
        }
    }

    private static String checkSchema(String schema) {
        Objects.requireNonNull(schema, "schema");
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("a schema name is a plain identifier of at most 63 characters: "
                    + schema);
        }
        return schema;
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("the PostgreSQL store is closed");
        }
    }

    /**
     * UP when a connection of the pool answers {@code SELECT 1} within {@value #HEALTH_TIMEOUT_SECONDS}
     * s; DOWN with PostgreSQL's reason otherwise, and after {@link #close()}. Waiting for a free
     * connection is bounded by the pool's own timeout. Never throws. {@code lastFailure},
     * {@code dataBytes} and {@code freeBytes} are not tracked (empty): the server's monitoring
     * knows them better.
     */
    @Override
    public StoreHealth health() {
        if (closed) {
            return StoreHealth.down("the PostgreSQL store is closed", Optional.empty());
        }
        try (Handle h = jdbi.open(); Statement probe = h.getConnection().createStatement()) {
            probe.setQueryTimeout(HEALTH_TIMEOUT_SECONDS);
            try (ResultSet rs = probe.executeQuery("SELECT 1")) {
                rs.next();
            }
            return StoreHealth.up("PostgreSQL answers (" + description + ")");
        } catch (Exception e) {
            return StoreHealth.down("PostgreSQL does not answer (" + description + "): " + Sql.detail(e),
                    Optional.empty());
        }
    }

    /**
     * Whether a connection of this store answers; for health checks.
     *
     * @return true if a connection answers
     */
    public boolean isHealthy() {
        if (closed) {
            return false;
        }
        try (Handle h = jdbi.open()) {
            Connection c = h.getConnection();
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Builds a {@link PostgresUserStore} with a HikariCP pool of its own, which
     * {@link PostgresUserStore#close()} closes. Not thread-safe; {@link #toString()} redacts the
     * password.
     */
    public static final class Builder {
        private String jdbcUrl;
        private DataSource dataSource;
        private boolean synchronousCharges;
        private String username;
        private String password;
        private String schema = DEFAULT_SCHEMA;
        private int maximumPoolSize = 10;
        private String version = "";
        private final List<AppMigration> migrations = new ArrayList<>();

        private Builder() {
        }

        /**
         * Appends an application migration (a custom account column, a per-user table), applied
         * once when the store starts; see {@link AppMigration}.
         *
         * @param migration the migration
         * @return this builder
         * @throws IllegalArgumentException if another migration has the same id
         */
        public Builder migration(AppMigration migration) {
            Objects.requireNonNull(migration, "migration");
            if (migrations.stream().anyMatch(m -> m.id().equals(migration.id()))) {
                throw new IllegalArgumentException("two migrations with id " + migration.id());
            }
            migrations.add(migration);
            return this;
        }

        /**
         * A fresh start: the store uses schema {@code <schema>_<version>}, so a new version
         * begins with empty data while the old version's schema stays untouched. Lower-case
         * letters and digits, single underscores between them, at most 32 characters; "" (the
         * default) means no suffix.
         *
         * @param version the version name
         * @return this builder
         */
        public Builder version(String version) {
            Objects.requireNonNull(version, "version");
            if (!version.isEmpty() && (version.length() > 32 || !VERSION.matcher(version).matches())) {
                throw new IllegalArgumentException("version must be lower-case letters and digits with single"
                        + " underscores, at most 32 characters, was: " + version);
            }
            this.version = version;
            return this;
        }

        private String effectiveSchema() {
            return version.isEmpty() ? schema : checkSchema(schema + "_" + version);
        }

        /**
         * {@code jdbc:postgresql://host:port/database}: the store opens a HikariCP pool of its own
         * (READ COMMITTED) and closes it on {@link PostgresUserStore#close()}.
         *
         * @param jdbcUrl a {@code jdbc:postgresql:} URL
         * @return this builder
         */
        public Builder jdbcUrl(String jdbcUrl) {
            this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            return this;
        }

        /**
         * The application's pool instead of a pool of the store's own; never closed by the store.
         *
         * @param dataSource the application's pool
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Whether a charge waits for its WAL flush before it returns. Default false: a charge
         * commits with {@code synchronous_commit = off} for its own transaction, so a crash of the
         * database server (not of the application) may lose the charges of its last moments —
         * the user got that usage free — while credits, reversals, rotations and deletions always
         * wait for the flush and every balance still equals its ledger. True makes every charge
         * durable at the cost of one WAL flush each (charges on one account then queue on it).
         *
         * @param synchronousCharges whether a charge waits for its commit to be durable
         * @return this builder
         */
        public Builder synchronousCharges(boolean synchronousCharges) {
            this.synchronousCharges = synchronousCharges;
            return this;
        }

        /**
         * For {@link #jdbcUrl}.
         *
         * @param username the user
         * @return this builder
         */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /**
         * For {@link #jdbcUrl}; never shown by {@code toString()} or in exceptions.
         *
         * @param password the password; never shown
         * @return this builder
         */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * The schema for the store's tables (created when missing); default {@value PostgresUserStore#DEFAULT_SCHEMA}.
         *
         * @param schema the schema, created when missing
         * @return this builder
         */
        public Builder schema(String schema) {
            this.schema = checkSchema(schema);
            return this;
        }

        /**
         * For {@link #jdbcUrl}: the most connections the pool opens; default 10.
         *
         * @param maximumPoolSize the pool's size
         * @return this builder
         */
        public Builder maximumPoolSize(int maximumPoolSize) {
            if (maximumPoolSize < 1) {
                throw new IllegalArgumentException("maximumPoolSize must be at least 1, was " + maximumPoolSize);
            }
            this.maximumPoolSize = maximumPoolSize;
            return this;
        }

        /**
         * Opens the pool (for {@link #jdbcUrl}), checks that the database answers and migrates the schema.
         *
         * @return the open store; closing it closes its own pool
         * @throws StoreException naming the URL (without password) when the database is unreachable
         */
        public PostgresUserStore build() {
            if ((jdbcUrl == null) == (dataSource == null)) {
                throw new IllegalStateException("exactly one of jdbcUrl and dataSource is required");
            }
            String schema = effectiveSchema();
            if (dataSource != null) {
                return new PostgresUserStore(dataSource, schema, null, "application data source",
                        synchronousCharges, List.copyOf(migrations));
            }
            String where = "HikariCP pool on " + Redaction.url(jdbcUrl);
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(username);
            config.setPassword(password);
            config.setMaximumPoolSize(maximumPoolSize);
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            // Server error details quote row values (token hashes, emails): keep them out of
            // exception messages, and so out of logs.
            config.addDataSourceProperty("logServerErrorDetail", "false");
            config.setPoolName("stripeflare-" + schema);
            // Fail here, naming the URL, rather than on the first request.
            config.setInitializationFailTimeout(5_000);
            HikariDataSource pool;
            try {
                pool = new HikariDataSource(config);
            } catch (RuntimeException e) {
                throw new StoreException("PostgreSQL store: cannot connect to " + Redaction.url(jdbcUrl)
                        + ": " + Redaction.message(Sql.detail(e), password), null);
            }
            try {
                return new PostgresUserStore(pool, schema, pool, where, synchronousCharges, List.copyOf(migrations));
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        }

        @Override
        public String toString() {
            return "PostgresUserStore.Builder[url=" + (jdbcUrl == null ? null : Redaction.url(jdbcUrl))
                    + ", username=" + username + ", password=" + (password == null ? null : "***")
                    + ", dataSource=" + (dataSource != null) + ", schema=" + schema + ", version=" + version
                    + ", migrations=" + migrations.size()
                    + ", maximumPoolSize=" + maximumPoolSize + ", synchronousCharges=" + synchronousCharges + "]";
        }
    }

    // Unclaimed payments (ADR 31).

    @Override
    public boolean recordUnclaimed(UnclaimedPayment payment) {
        Objects.requireNonNull(payment, "payment");
        if (!payment.isOpen()) {
            throw new IllegalArgumentException("only an open payment is recorded as unclaimed");
        }
        ensureOpen();
        return unclaimed.record(payment);
    }

    @Override
    public List<UnclaimedPayment> unclaimedPayments() {
        ensureOpen();
        return unclaimed.all();
    }

    @Override
    public Optional<UnclaimedPayment> findUnclaimed(String unclaimedId) {
        Objects.requireNonNull(unclaimedId, "unclaimedId");
        ensureOpen();
        return unclaimed.find(unclaimedId);
    }

    @Override
    public UnclaimedResolution assignUnclaimed(UnclaimedAssignment assignment) {
        Objects.requireNonNull(assignment, "assignment");
        ensureOpen();
        return unclaimed.assign(assignment);
    }

    @Override
    public UnclaimedResolution markUnclaimedRefunded(String unclaimedId, String note, Instant at) {
        Objects.requireNonNull(unclaimedId, "unclaimedId");
        Objects.requireNonNull(at, "at");
        ensureOpen();
        return unclaimed.markRefunded(unclaimedId, note, at);
    }

    // Adjustments (issue 13, ADR 32).
    private final Adjustments adjustments;

    @Override
    public AdjustmentResult adjust(Adjustment adjustment) {
        Objects.requireNonNull(adjustment, "adjustment");
        ensureOpen();
        return adjustments.adjust(adjustment);
    }

    @Override
    public dev.stripeflare.MaintenanceReport maintain(dev.stripeflare.spi.MaintenanceRequest request) {
        Objects.requireNonNull(request, "request");
        ensureOpen();
        return new Maintenance(sql, tx).run(request);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Finds the accounts by scanning the ledger (there is no index on its time), then rolls
     * each up in its own transaction.
     */
    @Override
    public dev.stripeflare.ArchiveReport archiveBefore(Instant before, dev.stripeflare.LedgerArchive sink) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(sink, "sink");
        ensureOpen();
        LedgerRollUp rollUp = new LedgerRollUp(sql);
        List<Long> accounts = tx.autocommit("finding ledgers to archive", h -> rollUp.candidates(h, before));
        int rolled = 0;
        long entries = 0;
        for (long userId : accounts) {
            int archived;
            try {
                archived = tx.inTransaction("archiving a ledger", false, h -> rollUp.rollUp(h, userId, before, sink));
            } catch (RuntimeException e) {
                throw LedgerRollUp.SinkFailed.unwrap(e);
            }
            if (archived > 0) {
                rolled++;
                entries += archived;
            }
        }
        return new dev.stripeflare.ArchiveReport(rolled, entries);
    }

    // Grants of free credit (ADR 33).

    @Override
    public GrantChange grant(CreditGrant grant) {
        Objects.requireNonNull(grant, "grant");
        ensureOpen();
        return tx.inTransaction("giving a grant", true, h -> grantSteps.grant(h, grant));
    }

    @Override
    public GrantChange voidGrant(GrantVoid grantVoid) {
        Objects.requireNonNull(grantVoid, "grantVoid");
        ensureOpen();
        return tx.inTransaction("voiding a grant", false, h -> grantSteps.voidGrant(h, grantVoid));
    }

    @Override
    public List<ExpiredGrant> expireGrants(long userId, Instant at) {
        Objects.requireNonNull(at, "at");
        ensureOpen();
        return tx.inTransaction("expiring grants", false, h -> grantSteps.expire(h, userId, at));
    }

    @Override
    public List<ExpiredGrant> expireGrants(Instant at) {
        Objects.requireNonNull(at, "at");
        ensureOpen();
        List<ExpiredGrant> expired = new ArrayList<>();
        for (long userId : tx.autocommit("finding due grants", h -> grantSteps.accountsDue(h, at))) {
            expired.addAll(expireGrants(userId, at));
        }
        return expired;
    }

    @Override
    public List<Grant> grants(long userId) {
        ensureOpen();
        return tx.autocommit("reading grants", h -> grantSteps.all(h, userId));
    }

    // Holds (ADR 34). Each step is one transaction that locks the account row first.

    @Override
    public HoldChange reserve(Reservation reservation) {
        Objects.requireNonNull(reservation, "reservation");
        ensureOpen();
        return tx.inTransaction("reserving", true, h -> grantSteps.holds().reserve(h, reservation));
    }

    @Override
    public HoldChange capture(HoldCapture capture) {
        Objects.requireNonNull(capture, "capture");
        ensureOpen();
        return tx.inTransaction("capturing", false, h -> grantSteps.holds().capture(h, capture));
    }

    @Override
    public HoldChange release(long holdId, Instant at) {
        Objects.requireNonNull(at, "at");
        ensureOpen();
        return tx.inTransaction("releasing a hold", false, h -> grantSteps.holds().release(h, holdId, at));
    }

    @Override
    public List<HoldState> expireHolds(long userId, Instant at) {
        Objects.requireNonNull(at, "at");
        ensureOpen();
        return tx.inTransaction("expiring holds", false, h -> grantSteps.holds().expire(h, userId, at));
    }

    @Override
    public List<HoldState> expireHolds(Instant at) {
        Objects.requireNonNull(at, "at");
        ensureOpen();
        List<HoldState> expired = new ArrayList<>();
        for (long userId : tx.autocommit("finding due holds", h -> grantSteps.holds().accountsDue(h, at))) {
            expired.addAll(expireHolds(userId, at));
        }
        return expired;
    }

    @Override
    public List<HoldState> holds(long userId) {
        ensureOpen();
        return tx.autocommit("reading holds", h -> grantSteps.holds().all(h, userId));
    }

    @Override
    public Optional<HoldState> findHold(long holdId) {
        ensureOpen();
        return tx.autocommit("reading a hold", h -> grantSteps.holds().find(h, holdId));
    }
}
