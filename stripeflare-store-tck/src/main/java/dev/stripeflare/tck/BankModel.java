package dev.stripeflare.tck;

import dev.stripeflare.AdjustmentOutcome;
import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.spi.Adjustment;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.UnclaimedResolution;
import dev.stripeflare.tck.BankReport.Invariant;
import dev.stripeflare.tck.BankReport.Violation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the bank test's callers asked and what the store answered, shared by all workers: each
 * call is recorded with its answer, so the {@link BankAudit} can reconcile them with the store's
 * ledgers at the end. Also the knowledge the continuous checks need: which account each token
 * opened, which tokens were revoked and which accounts deleted (recorded only after the store
 * confirmed it, so a check "known before the call" is never a guess). Thread-safe.
 */
final class BankModel {

    private static final int KEPT_VIOLATIONS = 50;

    /** A payment, delivered or not yet, with every answer its deliveries got. */
    static final class Payment {
        final PaymentCredit credit;
        final String cardFingerprint;
        /** The token of the browser that paid: it alone learns the checkout id. */
        final String browserToken;
        /** Who paid. */
        final int payer;
        /** Whose browser the paid link's token belongs to: someone else's when the payer was sent a link. */
        final int linkOwner;
        final List<CreditResult> results = Collections.synchronizedList(new ArrayList<>());

        Payment(PaymentCredit credit, String cardFingerprint, String browserToken, int payer, int linkOwner) {
            this.credit = credit;
            this.cardFingerprint = cardFingerprint;
            this.browserToken = browserToken;
            this.payer = payer;
            this.linkOwner = linkOwner;
        }

        /** The account the one applied delivery credited, or 0. */
        long creditedAccount() {
            synchronized (results) {
                return results.stream().filter(r -> r.status() == CreditResult.Status.APPLIED)
                        .mapToLong(CreditResult::userId).findFirst().orElse(0);
            }
        }
    }

    /** A reversal with every answer its deliveries got. */
    static final class Reversal {
        final PaymentReversal reversal;
        final Payment payment;
        final List<ReversalResult> results = Collections.synchronizedList(new ArrayList<>());

        Reversal(PaymentReversal reversal, Payment payment) {
            this.reversal = reversal;
            this.payment = payment;
        }

        boolean answered(ReversalResult.Status status) {
            synchronized (results) {
                return results.stream().anyMatch(r -> r.status() == status);
            }
        }
    }

    /** A restoration with every answer it got. */
    static final class Restoration {
        final PaymentRestoration restoration;
        final List<ReversalResult> results = Collections.synchronizedList(new ArrayList<>());

        Restoration(PaymentRestoration restoration) {
            this.restoration = restoration;
        }
    }

    /** One charge call and its answer. */
    record ChargeCall(String token, long amountCents, String idempotencyKey, boolean allowNegative,
                      ChargeResult result) { }

    final Map<String, Payment> paymentsByOperation = new ConcurrentHashMap<>();
    final Map<String, Payment> paymentsByReference = new ConcurrentHashMap<>();
    final Map<String, Reversal> reversals = new ConcurrentHashMap<>();
    final Map<String, Restoration> restorations = new ConcurrentHashMap<>();
    final Map<String, List<Restoration>> restorationsByReversal = new ConcurrentHashMap<>();
    final List<ChargeCall> charges = Collections.synchronizedList(new ArrayList<>());
    final List<ClaimResult> claims = Collections.synchronizedList(new ArrayList<>());

    /** When each idempotency key first charged (the charge's time). */
    final Map<String, java.time.Instant> keyChargedAt = new ConcurrentHashMap<>();
    /** The latest idempotency-key cut-off a maintenance step used: keys charged before it may be forgotten. */
    final java.util.concurrent.atomic.AtomicReference<java.time.Instant> keysPrunedBefore =
            new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.MIN);
    /** Per account, the entries archive steps took, in the order they took them (each call once). */
    final Map<Long, List<List<LedgerEntry>>> archived = new ConcurrentHashMap<>();

    /** The account each token opened (a token is attached at most once in its life). */
    final Map<String, Long> tokenAccounts = new ConcurrentHashMap<>();
    /** Tokens rotated away, each to the one token that replaced it. */
    final Map<String, String> rotatedAway = new ConcurrentHashMap<>();
    final Set<Long> deletedAccounts = ConcurrentHashMap.newKeySet();
    final Set<Long> accountsSeen = ConcurrentHashMap.newKeySet();
    /** Per token, the accounts credits answered CREATED for (attached to the first, if any). */
    final Map<String, Set<Long>> createdFor = new ConcurrentHashMap<>();
    /** Tokens a credit created an account for without attaching them: revoked, as the audit checks. */
    final Set<String> mustBeRevoked = ConcurrentHashMap.newKeySet();
    /** Every account a vouched payment (no checkout id) with this card (and verified email, if any) created. */
    final Map<String, Set<Long>> payerAccounts = new ConcurrentHashMap<>();
    /** Per account, whose link's payment created it: the person whose browsers it belongs to. */
    final Map<Long, Integer> accountOwners = new ConcurrentHashMap<>();
    /** Payments credited to an account their payer's verified email or card identified. */
    final Set<Payment> identified = ConcurrentHashMap.newKeySet();
    /**
     * Per account, the payers whose checkout into it a browser of that account came back from in
     * time (answered {@code ALREADY_LINKED}): the store may record those payers' identity there
     * (ADR 19: "the browser that completed the checkout holds a token of the account and came
     * back"). The workload's attackers present any checkout's id with any device's token; when
     * that token happens to open the checkout's account (another browser of the link's owner, or
     * the link's own browser after its cookie was rotated), the store cannot tell the claim from
     * the payer's own return, so it vouches, as specified.
     */
    final Map<Long, Set<Integer>> returnedByAccountBrowser = new ConcurrentHashMap<>();

    private final List<Violation> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger violationCount = new AtomicInteger();

    void violation(Invariant invariant, String detail) {
        violationCount.incrementAndGet();
        synchronized (violations) {
            if (violations.size() < KEPT_VIOLATIONS) {
                violations.add(new Violation(invariant, detail));
            }
        }
    }

    int violationCount() {
        return violationCount.get();
    }

    List<Violation> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    /** Whether the store has confirmed that {@code token} opens nothing any more. */
    boolean knownRevoked(String token) {
        if (rotatedAway.containsKey(token)) {
            return true;
        }
        Long account = tokenAccounts.get(token);
        return account != null && deletedAccounts.contains(account);
    }

    /** Learns that {@code token} opens (or opened) {@code userId}; a token never opens two accounts. */
    void tokenOpens(String token, long userId, String how) {
        accountsSeen.add(userId);
        Long before = tokenAccounts.putIfAbsent(token, userId);
        if (before != null && before != userId) {
            violation(Invariant.TOKENS, "token " + token + " opened account " + before + ", then " + userId
                    + " (" + how + ")");
        }
    }

    void payerAccount(String payer, long userId) {
        accountsSeen.add(userId);
        payerAccounts.computeIfAbsent(payer, p -> ConcurrentHashMap.newKeySet()).add(userId);
    }

    /**
     * Records a credit's answer and checks it against what is known: where a known token must
     * have led, and that a payer's payments land in the payer's account.
     */
    void credited(Payment payment, CreditResult result, boolean tokenRevokedBefore, Long tokenOpenedBefore) {
        payment.results.add(result);
        String token = payment.credit.tokenHash();
        if (result.status() == CreditResult.Status.DUPLICATE) {
            return;
        }
        long userId = result.userId();
        accountsSeen.add(userId);
        switch (result.account()) {
            case EXISTING -> {
                if (tokenRevokedBefore) {
                    violation(Invariant.TOKENS, "credit " + payment.credit.operationId()
                            + " found a revoked token opening account " + userId);
                }
                tokenOpens(token, userId, "credit EXISTING");
            }
            case REVOKED_TOKEN -> {
                Long opened = tokenAccounts.get(token);
                if (opened != null && opened != userId) {
                    violation(Invariant.TOKENS, "credit " + payment.credit.operationId() + " on revoked token went to "
                            + userId + ", but the token used to open " + opened);
                }
            }
            case IDENTIFIED -> identified.add(payment);
            case LINKED -> {
                if (tokenOpenedBefore != null) {
                    violation(Invariant.TOKENS, "credit " + payment.credit.operationId() + " linked a token that had "
                            + "opened account " + tokenOpenedBefore + (tokenRevokedBefore ? " and was revoked" : ""));
                }
                identified.add(payment);
                tokenOpens(token, userId, "credit LINKED");
            }
            case CREATED -> {
                accountOwners.put(userId, payment.linkOwner);
                if (payment.credit.checkoutId() == null) {
                    // Vouched for: the card is recorded in the same step, so it is the payer's only one.
                    payerAccount(payment.cardFingerprint, userId);
                }
                // Attached only if the token was never attached before, which another thread
                // may not have recorded yet: the audit resolves it once all answers are in.
                createdFor.computeIfAbsent(token, t -> ConcurrentHashMap.newKeySet()).add(userId);
                if (tokenOpenedBefore != null) {
                    // The token opened an account before, so it must have been revoked; whether
                    // the model knows yet depends on the other thread, so the audit checks it.
                    mustBeRevoked.add(token);
                }
            }
            default -> throw new IllegalStateException("unknown " + result.account());
        }
    }

    /** Records a first delivery of a reversal; it may be applied, deferred, never dropped. */
    void reversed(Reversal reversal, ReversalResult result, boolean cancelledBefore, boolean redelivery) {
        reversal.results.add(result);
        ReversalResult.Status status = result.status();
        if (cancelledBefore || redelivery) {
            if (status != ReversalResult.Status.DUPLICATE) {
                violation(cancelledBefore ? Invariant.RESTORED_EXACTLY_ONCE : Invariant.APPLIED_AT_MOST_ONCE,
                        "reversal " + reversal.reversal.operationId() + (cancelledBefore
                                ? " cancelled in advance" : " delivered again") + " answered " + result);
            }
            return;
        }
        if (status == ReversalResult.Status.DUPLICATE || status == ReversalResult.Status.CANCELLED) {
            violation(Invariant.REVERSAL_NOT_DROPPED, "first delivery of reversal "
                    + reversal.reversal.operationId() + " answered " + result);
        }
        if (status == ReversalResult.Status.APPLIED && result.userId().isPresent()) {
            accountsSeen.add(result.userId().getAsLong());
        }
    }

    void restored(Restoration restoration, ReversalResult result) {
        restoration.results.add(result);
        if (result.userId().isPresent()) {
            accountsSeen.add(result.userId().getAsLong());
        }
    }

    /** Records a claim's answer: only the checkout's own token, in time, not revoked, gains access. */
    void claimed(Payment payment, String token, boolean late, ClaimResult result, boolean tokenRevokedBefore) {
        claims.add(result);
        ClaimResult.Status status = result.status();
        boolean ownToken = token.equals(payment.credit.tokenHash());
        if (status == ClaimResult.Status.LINKED) {
            if (!ownToken || late || tokenRevokedBefore) {
                violation(Invariant.CLAIMS, "claim of " + payment.credit.checkoutId() + " by "
                        + (ownToken ? "its own token" : "another token") + (late ? " after the window" : "")
                        + (tokenRevokedBefore ? " (revoked)" : "") + " answered " + result);
            }
            if (result.userId().isEmpty()) {
                violation(Invariant.CLAIMS, "LINKED without an account: " + result);
                return;
            }
            tokenOpens(token, result.userId().getAsLong(), "claim LINKED");
        } else if (status == ClaimResult.Status.ALREADY_LINKED) {
            if (result.userId().isEmpty()) {
                violation(Invariant.CLAIMS, "ALREADY_LINKED without an account: " + result);
                return;
            }
            tokenOpens(token, result.userId().getAsLong(), "claim ALREADY_LINKED");
            if (!late) {
                returnedByAccountBrowser.computeIfAbsent(result.userId().getAsLong(),
                        u -> ConcurrentHashMap.newKeySet()).add(payment.payer);
            }
        }
    }

    /** Records a charge's answer; one without permission never leaves a negative balance. */
    void charged(ChargeCall call, boolean tokenRevokedBefore) {
        charges.add(call);
        ChargeResult result = call.result();
        if (!call.allowNegative() && result.charged() && result.balanceCents() < 0) {
            violation(Invariant.NO_UNALLOWED_OVERDRAFT, "charge of " + call.amountCents() + " without permission left "
                    + result.balanceCents());
        }
        if (tokenRevokedBefore && result.outcome() != dev.stripeflare.ChargeOutcome.NOT_REGISTERED) {
            violation(Invariant.TOKENS, "charge with revoked token " + call.token() + " answered " + result);
        }
    }

    /** Whether a browser of {@code userId} came back in time from a checkout {@code payer} paid into it. */
    boolean returnedByAccountBrowser(int payer, long userId) {
        return returnedByAccountBrowser.getOrDefault(userId, Set.of()).contains(payer);
    }

    /** Records a successful rotation: exactly one rotation of a token ever succeeds. */
    void rotated(String oldToken, String newToken) {
        String winner = rotatedAway.putIfAbsent(oldToken, newToken);
        if (winner != null) {
            violation(Invariant.TOKENS, "token " + oldToken + " was rotated twice: to " + winner + " and to " + newToken);
        }
        Long account = tokenAccounts.get(oldToken);
        if (account != null) {
            tokenOpens(newToken, account, "rotation");
        }
    }

    /**
     * With every answer in, works out which account each token opened where the answers alone
     * were ambiguous: a CREATED account (a token is attached at most once, to its first; a later
     * CREATED for it means it had been revoked), and tokens rotated from a token whose account
     * was learnt only later.
     */
    void resolveTokens() {
        // A rotation's new token is first attached by the rotation, so any CREATED for it did
        // not attach it; it opens what the token it replaced opened.
        Set<String> rotationTargets = Set.copyOf(rotatedAway.values());
        for (Map.Entry<String, Set<Long>> created : createdFor.entrySet()) {
            String token = created.getKey();
            if (tokenAccounts.containsKey(token) || rotationTargets.contains(token)) {
                continue;
            }
            List<Long> candidates = created.getValue().stream().sorted().toList();
            List<Long> deleted = candidates.stream().filter(deletedAccounts::contains).toList();
            if (candidates.size() == 1) {
                tokenAccounts.put(token, candidates.get(0));
            } else if (deleted.isEmpty()) {
                violation(Invariant.TOKENS, "credits created live accounts " + candidates + " for token " + token
                        + ", which can have been attached to one only");
            } else {
                // Attached to the first; a second CREATED needs that one deleted.
                tokenAccounts.put(token, deleted.get(0));
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<String, String> rotation : rotatedAway.entrySet()) {
                Long account = tokenAccounts.get(rotation.getKey());
                if (account != null && tokenAccounts.putIfAbsent(rotation.getValue(), account) == null) {
                    changed = true;
                }
            }
        }
        for (Map.Entry<String, Set<Long>> created : createdFor.entrySet()) {
            Long known = tokenAccounts.get(created.getKey());
            if (known != null && created.getValue().stream().anyMatch(c -> c.longValue() != known)) {
                mustBeRevoked.add(created.getKey());
            }
        }
    }

    static boolean isReversalKind(LedgerEntryKind kind) {
        return kind == LedgerEntryKind.REFUND || kind == LedgerEntryKind.DISPUTE;
    }

    static boolean isRestorationKind(LedgerEntryKind kind) {
        return kind == LedgerEntryKind.DISPUTE_WON || kind == LedgerEntryKind.REFUND_FAILED;
    }

    // Unclaimed payments (issue 11 item 3): money in once assigned, never assigned twice.

    /** An unclaimed payment with every resolution answer it got. */
    static final class Unclaimed {
        final UnclaimedPayment payment;
        final List<UnclaimedResolution> resolutions = Collections.synchronizedList(new ArrayList<>());

        Unclaimed(UnclaimedPayment payment) {
            this.payment = payment;
        }

        /** The account the one successful assignment credited, or 0. */
        long assignedAccount() {
            synchronized (resolutions) {
                return resolutions.stream().filter(r -> r.status() == UnclaimedResolution.Status.RESOLVED)
                        .map(r -> r.payment().orElseThrow()).filter(p -> p.status() == UnclaimedPayment.Status.ASSIGNED)
                        .mapToLong(p -> p.assignedUserId().orElseThrow()).findFirst().orElse(0);
            }
        }
    }

    final Map<String, Unclaimed> unclaimedByOperation = new ConcurrentHashMap<>();

    /** Records a resolution's answer; an assignment's account is read by the audit. */
    void resolvedUnclaimed(Unclaimed unclaimed, UnclaimedResolution result) {
        unclaimed.resolutions.add(result);
        if (result.status() == UnclaimedResolution.Status.RESOLVED) {
            result.payment().orElseThrow().assignedUserId().ifPresent(accountsSeen::add);
        }
    }

    // Adjustments (issue 13, ADR 32).

    /** One adjustment call and its answer; {@code result} null when it was refused as naming no account. */
    record AdjustCall(Adjustment adjustment, AdjustmentResult result) { }

    final List<AdjustCall> adjustments = Collections.synchronizedList(new ArrayList<>());

    /** Records an adjustment's answer; one without permission never leaves a negative balance. */
    void adjusted(AdjustCall call) {
        adjustments.add(call);
        Adjustment adjustment = call.adjustment();
        if (call.result() != null && call.result().outcome() == AdjustmentOutcome.APPLIED
                && !adjustment.allowNegativeBalance() && adjustment.amountCents() < 0 && call.result().balanceCents() < 0) {
            violation(Invariant.NO_UNALLOWED_OVERDRAFT, "adjustment " + adjustment.operationId() + " without permission left "
                    + call.result().balanceCents());
        }
    }

    /** Whether a maintenance step may have forgotten {@code key} (it first charged before a cut-off). */
    boolean keyMayHaveBeenForgotten(String key) {
        java.time.Instant at = keyChargedAt.get(key);
        return at != null && at.isBefore(keysPrunedBefore.get());
    }

    /**
     * Records what an archive step handed its sink for {@code userId}. A store may offer an
     * account's entries again when its step is rolled back and rerun after a conflict: every
     * offer starts with the account's first ledger entry at that moment, so an offer starting
     * with the same entry as the last one replaces it (a committed roll-up leaves a new first
     * entry). Archive steps run on one thread, so offers come in order.
     */
    void archivedOffer(long userId, List<LedgerEntry> entries) {
        List<List<LedgerEntry>> offers = archived.computeIfAbsent(userId, u -> new ArrayList<>());
        synchronized (offers) {
            if (!offers.isEmpty() && offers.get(offers.size() - 1).get(0).equals(entries.get(0))) {
                offers.remove(offers.size() - 1);
            }
            offers.add(List.copyOf(entries));
        }
    }

    /** An account's whole history: archived entries, then {@code current}, without opening balances. */
    List<LedgerEntry> history(long userId, List<LedgerEntry> current) {
        List<LedgerEntry> all = new ArrayList<>();
        List<List<LedgerEntry>> offers = archived.getOrDefault(userId, List.of());
        synchronized (offers) {
            offers.forEach(all::addAll);
        }
        all.addAll(current);
        all.removeIf(entry -> entry.kind() == dev.stripeflare.LedgerEntryKind.OPENING_BALANCE);
        return all;
    }

    /** Grants and what their callers were told (ADR 33). */
    final BankGrants grants = new BankGrants();
    final BankHolds holds = new BankHolds();
}
