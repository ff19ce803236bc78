package dev.stripeflare.store.postgres;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.HoldOutcome;
import dev.stripeflare.HoldState;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.HoldCapture;
import dev.stripeflare.spi.HoldChange;
import dev.stripeflare.spi.Reservation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Holds (ADR 34): the holds table, one row per hold (deleted with its account), and on accounts
 * what the ACTIVE holds reserve ({@code held}) and their earliest expiry ({@code hold_expires}).
 * Every step locks the account row first, as every balance change does, then reads and writes
 * the hold's row under READ COMMITTED, so a hold is changed by one transaction at a time and a
 * retried capture sees the first one's result. A capture's debit goes through
 * {@link GrantSteps#charge} (grants spent first, one CHARGE entry under {@code hold:<id>}).
 * Stateless apart from its SQL.
 */
final class HoldSteps {

    /** What expiring an account's due holds did: the holds, and what the account holds after. */
    record Expired(List<HoldState> holds, long heldAfter) {
    }

    /** An account row locked for this transaction. */
    private static final class Locked {
        final long userId;
        long balance;
        long held;
        Instant nextHoldExpiry;

        Locked(long userId, long balance, long held, Instant nextHoldExpiry) {
            this.userId = userId;
            this.balance = balance;
            this.held = held;
            this.nextHoldExpiry = nextHoldExpiry;
        }

        long available() {
            return balance - held;
        }
    }

    private static final String COLUMNS = "hold_id, user_id, amount, captured, overdraft, status, memo, created_at,"
            + " expires_at, closed_at";

    private final String tokenAccount;
    private final String lock;
    private final String byKey;
    private final String one;
    private final String owner;
    private final String insert;
    private final String set;
    private final String heldAfterReserve;
    private final String heldAndExpiry;
    private final String due;
    private final String all;
    private final String accountsDue;
    private final GrantSteps grants;

    HoldSteps(Sql sql, GrantSteps grants) {
        this.grants = grants;
        tokenAccount = sql.of("SELECT user_id FROM @token_hashes WHERE token_hash = :hash AND NOT revoked");
        lock = sql.of("SELECT balance, held, hold_expires FROM @accounts WHERE user_id = :id FOR NO KEY UPDATE");
        byKey = sql.of("SELECT " + COLUMNS + " FROM @holds WHERE user_id = :id AND idem_key = :key");
        one = sql.of("SELECT " + COLUMNS + " FROM @holds WHERE hold_id = :hold");
        owner = sql.of("SELECT user_id FROM @holds WHERE hold_id = :hold");
        insert = sql.of("INSERT INTO @holds (user_id, amount, overdraft, status, memo, idem_key, created_at, expires_at)"
                + " VALUES (:id, :amount, :overdraft, 'ACTIVE', :memo, :key, :at, :expires) RETURNING hold_id");
        set = sql.of("UPDATE @holds SET captured = :captured, status = :status, closed_at = :closed"
                + " WHERE hold_id = :hold");
        heldAfterReserve = sql.of("UPDATE @accounts SET held = :held,"
                + " hold_expires = LEAST(coalesce(hold_expires, :expires), :expires) WHERE user_id = :id");
        heldAndExpiry = sql.of("UPDATE @accounts SET held = :held, hold_expires = (SELECT min(expires_at)"
                + " FROM @holds WHERE user_id = :id AND status = 'ACTIVE') WHERE user_id = :id");
        due = sql.of("SELECT " + COLUMNS + " FROM @holds WHERE user_id = :id AND status = 'ACTIVE'"
                + " AND expires_at <= :at ORDER BY hold_id");
        all = sql.of("SELECT " + COLUMNS + " FROM @holds WHERE user_id = :id ORDER BY hold_id");
        accountsDue = sql.of("SELECT DISTINCT user_id FROM @holds WHERE status = 'ACTIVE' AND expires_at <= :at"
                + " ORDER BY user_id");
    }

    HoldChange reserve(Handle h, Reservation reservation) {
        long userId = reservation.userId();
        if (!reservation.byUserId()) {
            Optional<Long> id = h.createQuery(tokenAccount).bind("hash", reservation.tokenHash()).mapTo(Long.class)
                    .findOne();
            if (id.isEmpty()) {
                return HoldChange.none(HoldOutcome.NOT_REGISTERED);
            }
            userId = id.get();
        }
        Locked account = lock(h, userId);
        if (account == null) {
            return HoldChange.none(HoldOutcome.NOT_REGISTERED);
        }
        if (reservation.idempotencyKey() != null) {
            Optional<HoldState> prior = h.createQuery(byKey).bind("id", userId)
                    .bind("key", reservation.idempotencyKey()).map((rs, ctx) -> row(rs)).findOne();
            if (prior.isPresent()) {
                if (prior.get().amountCents() != reservation.amountCents()) {
                    throw new IdempotencyKeyReusedException("idempotency key already reserved "
                            + prior.get().amountCents() + " cents, not " + reservation.amountCents());
                }
                return change(HoldOutcome.REPLAYED, prior.get(), 0, account);
            }
        }
        if (due(account.nextHoldExpiry, reservation.at())) {
            account.held = expireDue(h, userId, account.held, reservation.at()).heldAfter();
        }
        if (account.available() < reservation.amountCents()) {
            return change(HoldOutcome.INSUFFICIENT_BALANCE, null, 0, account);
        }
        long holdId = h.createQuery(insert).bind("id", userId).bind("amount", reservation.amountCents())
                .bind("overdraft", reservation.allowOverdraft()).bind("memo", reservation.memo())
                .bind("key", reservation.idempotencyKey()).bind("at", reservation.at())
                .bind("expires", reservation.expiresAt()).mapTo(Long.class).one();
        account.held += reservation.amountCents();
        h.createUpdate(heldAfterReserve).bind("held", account.held).bind("expires", reservation.expiresAt())
                .bind("id", userId).execute();
        HoldState hold = new HoldState(holdId, userId, reservation.amountCents(), 0, reservation.allowOverdraft(),
                HoldState.Status.ACTIVE, reservation.memo(), reservation.at(), reservation.expiresAt(), null);
        return change(HoldOutcome.RESERVED, hold, 0, account);
    }

    HoldChange capture(Handle h, HoldCapture capture) {
        Locked account = lockOwner(h, capture.holdId());
        if (account == null) {
            return HoldChange.none(HoldOutcome.NOT_FOUND);
        }
        HoldState hold = read(h, capture.holdId());
        long total = capture.totalCents();
        Instant at = capture.at();
        if (hold.active() && due(hold.expiresAt(), at)) {
            return close(h, account, hold, HoldState.Status.EXPIRED, HoldOutcome.EXPIRED, at);
        }
        switch (hold.status()) {
            case EXPIRED:
                return change(HoldOutcome.EXPIRED, hold, 0, account);
            case CAPTURED:
            case RELEASED:
                boolean same = capture.close() ? hold.status() == HoldState.Status.CAPTURED
                        && total == hold.capturedCents() : total <= hold.capturedCents();
                return change(same ? HoldOutcome.REPLAYED : HoldOutcome.CLOSED, hold, 0, account);
            default:
                break;
        }
        if (total < hold.capturedCents()) {
            return change(capture.close() ? HoldOutcome.BELOW_CAPTURED : HoldOutcome.REPLAYED, hold, 0, account);
        }
        if (total > hold.amountCents() && !hold.allowOverdraft()) {
            return change(HoldOutcome.EXCEEDS_HOLD, hold, 0, account);
        }
        long step = total - hold.capturedCents();
        if (step == 0 && !capture.close()) {
            return change(HoldOutcome.REPLAYED, hold, 0, account);
        }
        HoldState.Status status = capture.close() ? HoldState.Status.CAPTURED : HoldState.Status.ACTIVE;
        HoldState after = new HoldState(hold.holdId(), hold.userId(), hold.amountCents(), total, hold.allowOverdraft(),
                status, hold.memo(), hold.createdAt(), hold.expiresAt(), capture.close() ? at : null);
        long heldAfter = account.held - hold.heldCents() + after.heldCents();
        if (step > 0) {
            // Due grants leave first (a due grant is never spent), then the check: against the
            // balance less the account's other holds, as this hold's money is the capture's.
            grants.expire(h, account.userId, at);
            account = lock(h, account.userId);
            if (!hold.allowOverdraft() && account.balance - (account.held - hold.heldCents()) < step) {
                return change(HoldOutcome.INSUFFICIENT_BALANCE, hold, 0, account);
            }
            minus(account.balance, step);
            ChargeResult charged = grants.charge(h, account.userId,
                    Debit.ofUser(account.userId, step, true, null, hold.memo(), at), "hold:" + hold.holdId(), null);
            account.balance = charged.balanceCents();
        }
        write(h, after);
        setHeld(h, account.userId, heldAfter);
        account.held = heldAfter;
        return change(HoldOutcome.CAPTURED, after, step, account);
    }

    HoldChange release(Handle h, long holdId, Instant at) {
        Locked account = lockOwner(h, holdId);
        if (account == null) {
            return HoldChange.none(HoldOutcome.NOT_FOUND);
        }
        HoldState hold = read(h, holdId);
        return switch (hold.status()) {
            case ACTIVE -> due(hold.expiresAt(), at)
                    ? close(h, account, hold, HoldState.Status.EXPIRED, HoldOutcome.EXPIRED, at)
                    : close(h, account, hold, HoldState.Status.RELEASED, HoldOutcome.RELEASED, at);
            case RELEASED -> change(HoldOutcome.REPLAYED, hold, 0, account);
            case EXPIRED -> change(HoldOutcome.EXPIRED, hold, 0, account);
            default -> change(HoldOutcome.CLOSED, hold, 0, account);
        };
    }

    List<HoldState> expire(Handle h, long userId, Instant at) {
        Locked account = lock(h, userId);
        if (account == null || !due(account.nextHoldExpiry, at)) {
            return List.of();
        }
        return expireDue(h, userId, account.held, at).holds();
    }

    /** Expires the due ACTIVE holds of the account whose row the caller locked, holding {@code held}. */
    Expired expireDue(Handle h, long userId, long held, Instant at) {
        List<HoldState> holds = h.createQuery(due).bind("id", userId).bind("at", at).map((rs, ctx) -> row(rs)).list();
        List<HoldState> expired = new ArrayList<>(holds.size());
        long heldAfter = held;
        for (HoldState hold : holds) {
            HoldState closed = closed(hold, HoldState.Status.EXPIRED, at);
            write(h, closed);
            heldAfter -= hold.heldCents();
            expired.add(closed);
        }
        setHeld(h, userId, heldAfter);
        return new Expired(List.copyOf(expired), heldAfter);
    }

    List<Long> accountsDue(Handle h, Instant at) {
        return h.createQuery(accountsDue).bind("at", at).mapTo(Long.class).list();
    }

    List<HoldState> all(Handle h, long userId) {
        return List.copyOf(h.createQuery(all).bind("id", userId).map((rs, ctx) -> row(rs)).list());
    }

    Optional<HoldState> find(Handle h, long holdId) {
        return Optional.ofNullable(read(h, holdId));
    }

    private HoldChange close(Handle h, Locked account, HoldState hold, HoldState.Status status, HoldOutcome outcome,
                             Instant at) {
        HoldState closed = closed(hold, status, at);
        write(h, closed);
        account.held -= hold.heldCents();
        setHeld(h, account.userId, account.held);
        return change(outcome, closed, 0, account);
    }

    private static HoldState closed(HoldState hold, HoldState.Status status, Instant at) {
        return new HoldState(hold.holdId(), hold.userId(), hold.amountCents(), hold.capturedCents(),
                hold.allowOverdraft(), status, hold.memo(), hold.createdAt(), hold.expiresAt(), at);
    }

    private void setHeld(Handle h, long userId, long held) {
        h.createUpdate(heldAndExpiry).bind("held", held).bind("id", userId).execute();
    }

    private void write(Handle h, HoldState hold) {
        h.createUpdate(set).bind("captured", hold.capturedCents()).bind("status", hold.status().name())
                .bindByType("closed", hold.closedAt() == null ? null : Sql.toDb(hold.closedAt()), OffsetDateTime.class)
                .bind("hold", hold.holdId()).execute();
    }

    private Locked lockOwner(Handle h, long holdId) {
        Optional<Long> userId = h.createQuery(owner).bind("hold", holdId).mapTo(Long.class).findOne();
        return userId.isEmpty() ? null : lock(h, userId.get());
    }

    private Locked lock(Handle h, long userId) {
        return h.createQuery(lock).bind("id", userId).map((rs, ctx) -> {
            OffsetDateTime next = rs.getObject(3, OffsetDateTime.class);
            return new Locked(userId, rs.getLong(1), rs.getLong(2), next == null ? null : Sql.fromDb(next));
        }).findOne().orElse(null);
    }

    private HoldState read(Handle h, long holdId) {
        return h.createQuery(one).bind("hold", holdId).map((rs, ctx) -> row(rs)).findOne().orElse(null);
    }

    private static HoldState row(ResultSet rs) throws SQLException {
        OffsetDateTime closed = rs.getObject(10, OffsetDateTime.class);
        return new HoldState(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5),
                HoldState.Status.valueOf(rs.getString(6)), rs.getString(7),
                Sql.fromDb(rs.getObject(8, OffsetDateTime.class)), Sql.fromDb(rs.getObject(9, OffsetDateTime.class)),
                closed == null ? null : Sql.fromDb(closed));
    }

    private static HoldChange change(HoldOutcome outcome, HoldState hold, long charged, Locked account) {
        return new HoldChange(outcome, hold, charged, account.balance, account.available());
    }

    private static boolean due(Instant expiry, Instant at) {
        return expiry != null && !expiry.isAfter(at);
    }

    private static void minus(long balance, long cents) {
        try {
            Math.subtractExact(balance, cents);
        } catch (ArithmeticException e) {
            throw new InvalidAmountException("balance " + balance + " - " + cents + " cents overflows a long");
        }
    }
}
