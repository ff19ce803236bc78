package dev.stripeflare.store.memory;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.Grant;
import dev.stripeflare.HoldOutcome;
import dev.stripeflare.HoldState;
import dev.stripeflare.spi.HoldCapture;
import dev.stripeflare.spi.HoldChange;
import dev.stripeflare.spi.Reservation;
import java.util.function.LongSupplier;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.ExpiredGrant;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.spi.GrantVoid;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.UserRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One account: balance, profile, ledger and the idempotency keys that charged it.
 *
 * <p>Every mutable field is guarded by the account's monitor ({@code synchronized (account)});
 * callers hold it around each method call. A deleted account stays readable by a thread that
 * already holds it but refuses to change.
 */
final class Account {

    /** What a charge under an idempotency key did, so a retry can replay it, and when. */
    private record KeyedCharge(long amountCents, long balanceAfterCents, Instant at) { }

    final long userId;
    final Instant createdAt;

    private long balanceCents;
    private String name;
    private String email;
    private String verifiedEmail;
    private String cardFingerprint;
    private boolean deleted;
    private final Ledger ledger = new Ledger();
    // Created on first keyed charge: most accounts are never charged with a key.
    private Map<String, KeyedCharge> chargesByKey;
    // Created on the first grant: most accounts never get one.
    private AccountGrants grants;
    // Created on the first hold (ADR 34).
    private AccountHolds holds;

    Account(long userId, Instant createdAt, PaymentProfile profile) {
        this.userId = userId;
        this.createdAt = createdAt;
        this.name = profile.name();
        this.email = profile.email();
        this.verifiedEmail = profile.verifiedEmail();
        this.cardFingerprint = profile.cardFingerprint();
    }

    boolean isDeleted() {
        return deleted;
    }

    void markDeleted() {
        deleted = true;
        ledger.clear();
        chargesByKey = null;
        grants = null;
        holds = null;
    }

    long balanceCents() {
        return balanceCents;
    }

    String verifiedEmail() {
        return verifiedEmail;
    }

    String cardFingerprint() {
        return cardFingerprint;
    }

    /** Applies {@code debit}, or answers why not; throws before changing anything. */
    ChargeResult charge(Debit debit) {
        return charge(debit, null);
    }

    /**
     * As {@link #charge(Debit)}; adds the grants it expired to {@code expiredSink} when that is
     * not null (they stay expired whatever the charge answers or throws afterwards).
     */
    ChargeResult charge(Debit debit, List<ExpiredGrant> expiredSink) {
        String key = debit.idempotencyKey();
        if (key != null && chargesByKey != null) {
            KeyedCharge prior = chargesByKey.get(key);
            if (prior != null) {
                if (prior.amountCents() != debit.amountCents()) {
                    throw new IdempotencyKeyReusedException("idempotency key already charged "
                            + prior.amountCents() + " cents, not " + debit.amountCents());
                }
                return ChargeResult.replayed(prior.balanceAfterCents());
            }
        }
        if (grants != null && grants.grantedCents() > 0) {
            List<ExpiredGrant> expired = expireGrants(debit.at());
            if (expiredSink != null) {
                expiredSink.addAll(expired);
            }
        }
        if (!debit.allowNegativeBalance() && balanceCents - heldCents() < debit.amountCents()) {
            // Held money is not the charge's (ADR 34); a hold past its expiry no longer holds it.
            if (holds == null || !holds.anyDue(debit.at())) {
                return ChargeResult.insufficientBalance(balanceCents);
            }
            expireHolds(debit.at());
            if (balanceCents - heldCents() < debit.amountCents()) {
                return ChargeResult.insufficientBalance(balanceCents);
            }
        }
        long after = minus(balanceCents, debit.amountCents());
        // The key is kept once, in chargesByKey, and only for its window (ADR 30).
        ledger.append(-debit.amountCents(), after, LedgerEntryKind.CHARGE, null, debit.memo(),
                debit.at());
        balanceCents = after;
        if (grants != null) {
            grants.spend(debit.amountCents());
        }
        if (key != null) {
            if (chargesByKey == null) {
                chargesByKey = new HashMap<>();
            }
            chargesByKey.put(key, new KeyedCharge(debit.amountCents(), after, debit.at()));
        }
        return ChargeResult.charged(after);
    }

    /** Throws, changing nothing, unless the ledger has room for {@code count} more entries. */
    void requireLedgerRoomFor(int count) {
        ledger.requireRoomFor(count);
    }

    /** Appends {@code entry}, whose balance-after the caller computed from this balance. */
    void append(LedgerEntry entry) {
        ledger.append(entry);
        balanceCents = entry.balanceAfterCents();
    }

    /** Takes the payment's name and email; fills verified email and card only when unknown. */
    void updateProfile(PaymentProfile profile) {
        if (profile.name() != null) {
            name = profile.name();
        }
        if (profile.email() != null) {
            email = profile.email();
        }
        recordIdentity(profile);
    }

    /** Fills verified email and card from {@code profile} where this account has none. */
    void recordIdentity(PaymentProfile profile) {
        if (verifiedEmail == null) {
            verifiedEmail = profile.verifiedEmail();
        }
        if (cardFingerprint == null) {
            cardFingerprint = profile.cardFingerprint();
        }
    }

    List<LedgerEntry> ledger() {
        return ledger.entries(userId);
    }

    UserRecord snapshot() {
        return new UserRecord(userId, balanceCents, name, email, verifiedEmail, cardFingerprint,
                Map.of(), createdAt, grants == null ? 0 : grants.grantedCents(),
                grants == null ? null : grants.nextExpiry(), heldCents(),
                holds == null ? null : holds.nextExpiry());
    }

    static long plus(long balanceCents, long amountCents) {
        try {
            return Math.addExact(balanceCents, amountCents);
        } catch (ArithmeticException e) {
            throw new InvalidAmountException("balance " + balanceCents + " + " + amountCents
                    + " cents overflows a long");
        }
    }

    static long minus(long balanceCents, long amountCents) {
        try {
            return Math.subtractExact(balanceCents, amountCents);
        } catch (ArithmeticException e) {
            throw new InvalidAmountException("balance " + balanceCents + " - " + amountCents
                    + " cents overflows a long");
        }
    }

    /**
     * Forgets {@code key} if it is still the one recorded at {@code at} (a key recorded again
     * after an earlier removal has its own expiry); true if it was removed.
     */
    boolean forgetKey(String key, Instant at) {
        if (chargesByKey == null) {
            return false;
        }
        KeyedCharge charge = chargesByKey.get(key);
        if (charge == null || !charge.at().equals(at)) {
            return false;
        }
        chargesByKey.remove(key);
        if (chargesByKey.isEmpty()) {
            chargesByKey = null; // a HashMap never shrinks its table
        }
        return true;
    }

    /**
     * Rolls the ledger's oldest entries before {@code before} up into one opening balance, after
     * handing them to {@code sink}; see {@link Ledger#rollUp}. Returns the entries archived.
     */
    int archiveBefore(Instant before, dev.stripeflare.LedgerArchive sink) {
        return deleted ? 0 : ledger.rollUp(userId, before, sink);
    }

    // Grants (ADR 33).

    /** Gives {@code grant} (its operation id is new); throws, changing nothing, on overflow. */
    GrantChange grant(CreditGrant grant) {
        long after = plus(balanceCents, grant.amountCents());
        plus(grantedCents(), grant.amountCents());
        requireLedgerRoomFor(1);
        if (grants == null) {
            grants = new AccountGrants();
        }
        ledger.append(grant.amountCents(), after, LedgerEntryKind.GRANT, grant.operationId(), grant.reason(),
                grant.at());
        balanceCents = after;
        grants.add(grant);
        return new GrantChange(GrantChange.Status.APPLIED, userId, grant.amountCents(), balanceCents,
                grants.grantedCents());
    }

    /** Voids the grant under {@code grantVoid}'s operation id, if this account has it and it is active. */
    GrantChange voidGrant(GrantVoid grantVoid) {
        AccountGrants.Entry entry = grants == null ? null : grants.find(grantVoid.grantOperationId());
        if (entry == null) {
            return new GrantChange(GrantChange.Status.NOT_FOUND, userId, 0, balanceCents, grantedCents());
        }
        if (entry.status != Grant.Status.ACTIVE) {
            return new GrantChange(GrantChange.Status.ENDED, userId, 0, balanceCents, grantedCents());
        }
        requireLedgerRoomFor(1);
        long voided = grants.end(entry, Grant.Status.VOIDED);
        if (voided > 0) {
            balanceCents -= voided;
            ledger.append(-voided, balanceCents, LedgerEntryKind.GRANT_VOIDED, entry.operationId, grantVoid.memo(),
                    grantVoid.at());
        }
        return new GrantChange(GrantChange.Status.APPLIED, userId, voided, balanceCents, grants.grantedCents());
    }

    /** Expires the ACTIVE grants due at {@code at}; the balance never overflows, as it only shrinks. */
    List<ExpiredGrant> expireGrants(Instant at) {
        if (grants == null) {
            return List.of();
        }
        List<AccountGrants.Entry> due = grants.due(at);
        if (due.isEmpty()) {
            return List.of();
        }
        requireLedgerRoomFor(due.size());
        List<ExpiredGrant> expired = new ArrayList<>(due.size());
        for (AccountGrants.Entry entry : due) {
            long left = grants.end(entry, Grant.Status.EXPIRED);
            if (left > 0) {
                balanceCents -= left;
                ledger.append(-left, balanceCents, LedgerEntryKind.GRANT_EXPIRED, entry.operationId,
                        "grant expired", at);
            }
            expired.add(new ExpiredGrant(userId, entry.operationId, left, balanceCents, entry.expiresAt, at));
        }
        return expired;
    }

    long grantedCents() {
        return grants == null ? 0 : grants.grantedCents();
    }

    List<Grant> grants() {
        return grants == null ? List.of() : grants.views(userId);
    }

    // Holds (ADR 34).

    long heldCents() {
        return holds == null ? 0 : holds.heldCents();
    }

    private HoldChange change(HoldOutcome outcome, AccountHolds.Entry entry, long charged) {
        return new HoldChange(outcome, entry == null ? null : entry.view(userId), charged, balanceCents,
                balanceCents - heldCents());
    }

    /** Makes a hold under a fresh id from {@code ids}, or answers why not; see {@link dev.stripeflare.spi.UserStore#reserve}. */
    HoldChange reserve(Reservation reservation, LongSupplier ids, java.util.function.LongConsumer forget) {
        String key = reservation.idempotencyKey();
        if (key != null && holds != null) {
            AccountHolds.Entry prior = holds.byKey(key);
            if (prior != null) {
                if (prior.amountCents != reservation.amountCents()) {
                    throw new IdempotencyKeyReusedException("idempotency key already reserved "
                            + prior.amountCents + " cents, not " + reservation.amountCents());
                }
                return change(HoldOutcome.REPLAYED, prior, 0);
            }
        }
        expireHolds(reservation.at());
        if (balanceCents - heldCents() < reservation.amountCents()) {
            return change(HoldOutcome.INSUFFICIENT_BALANCE, null, 0);
        }
        if (holds == null) {
            holds = new AccountHolds(forget);
        }
        AccountHolds.Entry entry = new AccountHolds.Entry(ids.getAsLong(), reservation.amountCents(),
                reservation.allowOverdraft(), reservation.memo(), reservation.at(), reservation.expiresAt(), key);
        holds.add(entry);
        return change(HoldOutcome.RESERVED, entry, 0);
    }

    /** Captures as {@link dev.stripeflare.spi.UserStore#capture} says; throws, changing nothing, on overflow. */
    HoldChange capture(HoldCapture capture) {
        AccountHolds.Entry entry = holds == null ? null : holds.find(capture.holdId());
        if (entry == null) {
            return HoldChange.none(HoldOutcome.NOT_FOUND);
        }
        long total = capture.totalCents();
        if (entry.status == HoldState.Status.ACTIVE && !entry.expiresAt.isAfter(capture.at())) {
            holds.set(entry, entry.capturedCents, HoldState.Status.EXPIRED, capture.at());
            return change(HoldOutcome.EXPIRED, entry, 0);
        }
        switch (entry.status) {
            case EXPIRED:
                return change(HoldOutcome.EXPIRED, entry, 0);
            case CAPTURED:
            case RELEASED:
                boolean same = capture.close() ? entry.status == HoldState.Status.CAPTURED
                        && total == entry.capturedCents : total <= entry.capturedCents;
                return change(same ? HoldOutcome.REPLAYED : HoldOutcome.CLOSED, entry, 0);
            default:
                break;
        }
        if (total < entry.capturedCents) {
            return change(capture.close() ? HoldOutcome.BELOW_CAPTURED : HoldOutcome.REPLAYED, entry, 0);
        }
        if (total > entry.amountCents && !entry.allowOverdraft) {
            return change(HoldOutcome.EXCEEDS_HOLD, entry, 0);
        }
        long step = total - entry.capturedCents;
        if (step == 0 && !capture.close()) {
            return change(HoldOutcome.REPLAYED, entry, 0);
        }
        if (step > 0) {
            if (grants != null && grants.grantedCents() > 0) {
                expireGrants(capture.at());
            }
            // Against the balance less the account's other holds: this hold's money is the capture's.
            if (!entry.allowOverdraft && balanceCents - (heldCents() - entry.reserved()) < step) {
                return change(HoldOutcome.INSUFFICIENT_BALANCE, entry, 0);
            }
            long after = minus(balanceCents, step);
            requireLedgerRoomFor(1);
            ledger.append(-step, after, LedgerEntryKind.CHARGE, "hold:" + entry.holdId, entry.memo, capture.at());
            balanceCents = after;
            if (grants != null) {
                grants.spend(step);
            }
        }
        holds.set(entry, total, capture.close() ? HoldState.Status.CAPTURED : HoldState.Status.ACTIVE, capture.at());
        return change(HoldOutcome.CAPTURED, entry, step);
    }

    /** Releases as {@link dev.stripeflare.spi.UserStore#release} says. */
    HoldChange release(long holdId, Instant at) {
        AccountHolds.Entry entry = holds == null ? null : holds.find(holdId);
        if (entry == null) {
            return HoldChange.none(HoldOutcome.NOT_FOUND);
        }
        switch (entry.status) {
            case ACTIVE:
                boolean due = !entry.expiresAt.isAfter(at);
                holds.set(entry, entry.capturedCents, due ? HoldState.Status.EXPIRED : HoldState.Status.RELEASED, at);
                return change(due ? HoldOutcome.EXPIRED : HoldOutcome.RELEASED, entry, 0);
            case RELEASED:
                return change(HoldOutcome.REPLAYED, entry, 0);
            case EXPIRED:
                return change(HoldOutcome.EXPIRED, entry, 0);
            default:
                return change(HoldOutcome.CLOSED, entry, 0);
        }
    }

    /** Expires the ACTIVE holds due at {@code at}; answers them as they are now. */
    List<HoldState> expireHolds(Instant at) {
        if (holds == null) {
            return List.of();
        }
        List<AccountHolds.Entry> due = holds.due(at);
        if (due.isEmpty()) {
            return List.of();
        }
        List<HoldState> expired = new ArrayList<>(due.size());
        for (AccountHolds.Entry entry : due) {
            holds.set(entry, entry.capturedCents, HoldState.Status.EXPIRED, at);
            expired.add(entry.view(userId));
        }
        return expired;
    }

    List<HoldState> holds() {
        return holds == null ? List.of() : holds.views(userId);
    }

    HoldState hold(long holdId) {
        AccountHolds.Entry entry = holds == null ? null : holds.find(holdId);
        return entry == null ? null : entry.view(userId);
    }
}
