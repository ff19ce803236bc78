package dev.stripeflare.tck;

import dev.stripeflare.AdjustmentOutcome;
import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.Grant;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.UnclaimedResolution;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import dev.stripeflare.tck.BankReport.Invariant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reconciles what the bank test's callers were told ({@link BankModel}) with what the store
 * holds: every ledger, every balance, every token. Run once the workers have stopped; one
 * ledger check also runs while they work.
 */
final class BankAudit {

    private final UserStore store;
    private final BankModel model;
    /** Per live account, its ledger, read once. */
    private final Map<Long, List<LedgerEntry>> ledgers = new HashMap<>();
    /** Where each non-charge operation id's ledger entry is: account and amount. */
    private final Map<String, LedgerEntry> entriesByOperation = new HashMap<>();

    BankAudit(UserStore store, BankModel model) {
        this.store = store;
        this.model = model;
    }

    /** A consistency check of one account's ledger that tolerates concurrent writers. */
    void checkLedgerWhileRunning(long userId) {
        List<LedgerEntry> before = store.ledger(userId);
        Optional<UserRecord> account = store.findById(userId);
        List<LedgerEntry> after = store.ledger(userId);
        checkRunningBalances(userId, before);
        if (account.isPresent() && before.equals(after)) {
            long sum = before.stream().mapToLong(LedgerEntry::amountCents).sum();
            if (sum != account.get().balanceCents()) {
                model.violation(Invariant.BALANCE_EQUALS_LEDGER, "account " + userId + " holds "
                        + account.get().balanceCents() + " but its ledger sums to " + sum);
            }
        }
    }

    private void checkRunningBalances(long userId, List<LedgerEntry> ledger) {
        long running = 0;
        for (int i = 0; i < ledger.size(); i++) {
            LedgerEntry entry = ledger.get(i);
            running += entry.amountCents();
            if (entry.userId() != userId || entry.balanceAfterCents() != running) {
                model.violation(Invariant.BALANCE_EQUALS_LEDGER, "account " + userId + " ledger entry " + i + " "
                        + entry + " does not follow from the entries before it (running " + running + ")");
                return;
            }
        }
    }

    /** The final audit, with the workers stopped; {@code deviceTokens} are the browsers' tokens now. */
    void audit(Collection<String> deviceTokens) {
        model.resolveTokens();
        readLedgers();
        checkPaymentsAndCaps();
        checkReversalsAndRestorations();
        checkCharges();
        checkMoneyConserved();
        checkUnclaimed();
        checkGrants();
        checkHolds();
        checkTokens(deviceTokens);
        checkOneAccountPerPayer();
        checkAdjustments();
    }

    private void readLedgers() {
        for (long userId : model.accountsSeen) {
            Optional<UserRecord> account = store.findById(userId);
            if (model.deletedAccounts.contains(userId)) {
                if (account.isPresent()) {
                    model.violation(Invariant.TOKENS, "deleted account " + userId + " still exists");
                }
                continue;
            }
            if (account.isEmpty()) {
                model.violation(Invariant.MONEY_CONSERVED, "account " + userId + " vanished without a deletion");
                continue;
            }
            List<LedgerEntry> current = store.ledger(userId);
            checkRunningBalances(userId, current);
            long sum = current.stream().mapToLong(LedgerEntry::amountCents).sum();
            // The whole history: what archive steps took, then what is left, without the opening
            // balances that stand for the archived entries.
            List<LedgerEntry> ledger = model.history(userId, current);
            ledgers.put(userId, ledger);
            if (sum != account.get().balanceCents()) {
                model.violation(Invariant.BALANCE_EQUALS_LEDGER, "account " + userId + " holds "
                        + account.get().balanceCents() + " but its ledger sums to " + sum);
            }
            for (LedgerEntry entry : ledger) {
                if (entry.kind() == LedgerEntryKind.CHARGE) {
                    if (entry.operationId() != null && !entry.operationId().startsWith("hold:")) {
                        model.violation(Invariant.APPLIED_AT_MOST_ONCE, "a charge's ledger entry repeats its"
                                + " idempotency key (ADR 30 keeps it once): " + entry);
                    }
                    if ("checked".equals(entry.memo()) && entry.balanceAfterCents() < 0) {
                        model.violation(Invariant.NO_UNALLOWED_OVERDRAFT, "account " + userId + " went to "
                                + entry.balanceAfterCents() + " by a charge without permission: " + entry);
                    }
                } else if (entry.kind() == LedgerEntryKind.GRANT_EXPIRED || entry.kind() == LedgerEntryKind.GRANT_VOIDED) {
                    continue; // under its grant's operation id; checkGrants matches it with the grant
                } else if (entry.operationId() == null) {
                    model.violation(Invariant.APPLIED_AT_MOST_ONCE, "entry without operation id: " + entry);
                } else if (entriesByOperation.putIfAbsent(entry.operationId(), entry) != null) {
                    model.violation(Invariant.APPLIED_AT_MOST_ONCE, "operation " + entry.operationId()
                            + " applied twice: " + entriesByOperation.get(entry.operationId()) + " and " + entry);
                }
            }
        }
    }

    /** Each payment applied once, to the account its answer named; each ledger walked for the caps. */
    private void checkPaymentsAndCaps() {
        for (BankModel.Payment payment : model.paymentsByOperation.values()) {
            List<CreditResult> results;
            synchronized (payment.results) {
                results = List.copyOf(payment.results);
            }
            long applied = results.stream().filter(r -> r.status() == CreditResult.Status.APPLIED).count();
            String op = payment.credit.operationId();
            if (applied > 1) {
                model.violation(Invariant.APPLIED_AT_MOST_ONCE, "payment " + op + " applied " + applied + " times");
            }
            if (applied == 0 && !results.isEmpty()) {
                model.violation(Invariant.MONEY_CONSERVED, "payment " + op + " never applied: " + results);
            }
            long userId = payment.creditedAccount();
            LedgerEntry entry = entriesByOperation.get(op);
            if (applied == 1 && ledgers.containsKey(userId)) {
                if (entry == null || entry.userId() != userId || entry.kind() != LedgerEntryKind.PAYMENT
                        || entry.amountCents() != payment.credit.amountCents()) {
                    model.violation(Invariant.MONEY_CONSERVED, "payment " + op + " of "
                            + payment.credit.amountCents() + " to account " + userId + " has ledger entry " + entry);
                }
            }
        }
        for (Map.Entry<Long, List<LedgerEntry>> ledger : ledgers.entrySet()) {
            walkCaps(ledger.getKey(), ledger.getValue());
        }
    }

    private void walkCaps(long userId, List<LedgerEntry> ledger) {
        Map<String, long[]> payments = new HashMap<>(); // reference -> {credited, taken}
        for (LedgerEntry entry : ledger) {
            if (entry.kind() == LedgerEntryKind.PAYMENT) {
                BankModel.Payment payment = model.paymentsByOperation.get(entry.operationId());
                BankModel.Unclaimed assigned = model.unclaimedByOperation.get(entry.operationId());
                if (payment == null && assigned != null) {
                    payments.put(assigned.payment.paymentIntentId().orElseThrow(), new long[] {entry.amountCents(), 0});
                    continue;
                }
                if (payment == null) {
                    model.violation(Invariant.MONEY_CONSERVED, "unknown payment in account " + userId + ": " + entry);
                    continue;
                }
                payments.put(payment.credit.paymentReference(), new long[] {entry.amountCents(), 0});
            } else if (BankModel.isReversalKind(entry.kind())) {
                BankModel.Reversal reversal = model.reversals.get(entry.operationId());
                if (reversal == null) {
                    model.violation(Invariant.MONEY_CONSERVED, "unknown reversal in account " + userId + ": " + entry);
                    continue;
                }
                long[] payment = payments.get(reversal.reversal.paymentReference());
                if (payment == null) {
                    model.violation(Invariant.REVERSAL_CAPPED, "reversal " + entry + " in account " + userId
                            + " before (or without) its payment's credit there");
                    continue;
                }
                long taken = -entry.amountCents();
                long left = payment[0] - payment[1];
                long asked = reversal.reversal.requestedCents(payment[0]);
                if (taken > left || taken > asked) {
                    model.violation(Invariant.REVERSAL_CAPPED, "reversal " + entry.operationId() + " of payment "
                            + reversal.reversal.paymentReference() + " took " + taken + " of which only " + left
                            + " was left (credited " + payment[0] + ", asked " + asked + ")");
                } else if (taken < Math.min(left, asked)) {
                    model.violation(Invariant.REVERSAL_NOT_DROPPED, "reversal " + entry.operationId() + " took "
                            + taken + " instead of " + Math.min(left, asked));
                }
                payment[1] += taken;
            } else if (BankModel.isRestorationKind(entry.kind())) {
                BankModel.Restoration restoration = model.restorations.get(entry.operationId());
                if (restoration == null) {
                    model.violation(Invariant.MONEY_CONSERVED, "unknown restoration in account " + userId + ": " + entry);
                    continue;
                }
                String reversalId = restoration.restoration.reversalOperationId();
                LedgerEntry reversed = entriesByOperation.get(reversalId);
                if (reversed == null || reversed.userId() != userId || -reversed.amountCents() != entry.amountCents()) {
                    model.violation(Invariant.RESTORED_EXACTLY_ONCE, "restoration " + entry + " does not give back what "
                            + reversalId + " took: " + reversed);
                    continue;
                }
                long[] payment = payments.get(model.reversals.get(reversalId).reversal.paymentReference());
                if (payment != null) {
                    payment[1] -= entry.amountCents();
                    if (payment[1] < 0) {
                        model.violation(Invariant.RESTORED_EXACTLY_ONCE, "restorations of payment gave back more than"
                                + " was taken: " + entry);
                    }
                }
            }
        }
    }

    private void checkReversalsAndRestorations() {
        Map<String, List<BankModel.Reversal>> deferredByPayment = new HashMap<>();
        for (BankModel.Reversal reversal : model.reversals.values()) {
            String op = reversal.reversal.operationId();
            List<ReversalResult> results;
            synchronized (reversal.results) {
                results = List.copyOf(reversal.results);
            }
            List<ReversalResult> restorationResults = restorationResultsOf(op);
            long firsts = results.stream().filter(r -> r.status() == ReversalResult.Status.APPLIED
                    || r.status() == ReversalResult.Status.DEFERRED).count();
            if (firsts > 1) {
                model.violation(Invariant.APPLIED_AT_MOST_ONCE, "reversal " + op + " answered " + results);
            }
            long restored = restorationResults.stream().filter(r -> r.status() == ReversalResult.Status.APPLIED
                    || r.status() == ReversalResult.Status.CANCELLED).count();
            if (restored > 1) {
                model.violation(Invariant.RESTORED_EXACTLY_ONCE, "reversal " + op + " restored " + restored
                        + " times: " + restorationResults);
            }
            boolean cancelled = restorationResults.stream().anyMatch(r -> r.status() == ReversalResult.Status.CANCELLED);
            LedgerEntry entry = entriesByOperation.get(op);
            if (cancelled) {
                if (entry != null || results.stream().anyMatch(r -> r.status() == ReversalResult.Status.APPLIED)) {
                    model.violation(Invariant.RESTORED_EXACTLY_ONCE, "reversal " + op
                            + " was cancelled but applied: " + results + ", " + entry);
                }
                continue;
            }
            for (ReversalResult result : results) {
                if (result.status() == ReversalResult.Status.APPLIED && result.userId().isPresent()
                        && ledgers.containsKey(result.userId().getAsLong())) {
                    long moved = entry == null ? 0 : -entry.amountCents();
                    if (moved != result.movedCents()
                            || (entry != null && entry.userId() != result.userId().getAsLong())) {
                        model.violation(Invariant.REVERSAL_NOT_DROPPED, "reversal " + op + " answered " + result
                                + " but the ledger holds " + entry);
                    }
                }
            }
            for (ReversalResult restoration : restorationResults) {
                if (restoration.status() == ReversalResult.Status.APPLIED && restoration.userId().isPresent()
                        && ledgers.containsKey(restoration.userId().getAsLong())) {
                    long taken = entry == null ? 0 : -entry.amountCents();
                    if (restoration.movedCents() != taken) {
                        model.violation(Invariant.RESTORED_EXACTLY_ONCE, "restoration of " + op + " gave back "
                                + restoration.movedCents() + " of " + taken + " taken");
                    }
                }
            }
            if (results.stream().anyMatch(r -> r.status() == ReversalResult.Status.DEFERRED)) {
                deferredByPayment.computeIfAbsent(reversal.reversal.paymentReference(), p -> new ArrayList<>())
                        .add(reversal);
            }
        }
        // A deferred reversal is applied with its payment's credit: present in the ledger, unless
        // the deferred reversals before it had taken the whole payment already.
        for (Map.Entry<String, List<BankModel.Reversal>> deferred : deferredByPayment.entrySet()) {
            BankModel.Payment payment = model.paymentsByReference.get(deferred.getKey());
            long userId = payment.creditedAccount();
            if (!ledgers.containsKey(userId)) {
                continue;
            }
            long taken = 0;
            List<String> missing = new ArrayList<>();
            for (BankModel.Reversal reversal : deferred.getValue()) {
                LedgerEntry entry = entriesByOperation.get(reversal.reversal.operationId());
                if (entry == null) {
                    missing.add(reversal.reversal.operationId());
                } else {
                    taken -= entry.amountCents();
                }
            }
            if (!missing.isEmpty() && taken < payment.credit.amountCents()) {
                model.violation(Invariant.REVERSAL_NOT_DROPPED, "deferred reversals " + missing + " of payment "
                        + deferred.getKey() + " (credited " + payment.credit.amountCents() + " to account " + userId
                        + ", of which reversals took " + taken + ") were never applied");
            }
        }
    }

    private List<ReversalResult> restorationResultsOf(String reversalId) {
        List<BankModel.Restoration> restorations = model.restorationsByReversal.getOrDefault(reversalId, List.of());
        Map<BankModel.Restoration, Boolean> distinct = new IdentityHashMap<>();
        synchronized (restorations) {
            restorations.forEach(r -> distinct.put(r, true));
        }
        List<ReversalResult> results = new ArrayList<>();
        for (BankModel.Restoration restoration : distinct.keySet()) {
            synchronized (restoration.results) {
                results.addAll(restoration.results);
            }
        }
        return results;
    }

    private void checkCharges() {
        Map<Long, long[]> charged = new HashMap<>(); // account -> {count, cents}
        Map<Long, Set<String>> replayedKeys = new HashMap<>();
        Map<Long, Set<String>> chargedKeys = new HashMap<>();
        synchronized (model.charges) {
            for (BankModel.ChargeCall call : model.charges) {
                ChargeOutcome outcome = call.result().outcome();
                if (outcome != ChargeOutcome.CHARGED && outcome != ChargeOutcome.REPLAYED) {
                    continue;
                }
                Long userId = model.tokenAccounts.get(call.token());
                if (userId == null) {
                    model.violation(Invariant.TOKENS, "a charge succeeded on a token no account was seen with: " + call);
                    continue;
                }
                if (outcome == ChargeOutcome.CHARGED) {
                    long[] sum = charged.computeIfAbsent(userId, u -> new long[2]);
                    sum[0]++;
                    sum[1] += call.amountCents();
                    if (call.idempotencyKey() != null
                            && !chargedKeys.computeIfAbsent(userId, u -> new HashSet<>()).add(call.idempotencyKey())
                            && !model.keyMayHaveBeenForgotten(call.idempotencyKey())) {
                        model.violation(Invariant.APPLIED_AT_MOST_ONCE, "key " + call.idempotencyKey()
                                + " charged account " + userId + " twice");
                    }
                } else {
                    replayedKeys.computeIfAbsent(userId, u -> new HashSet<>()).add(call.idempotencyKey());
                }
            }
        }
        for (Map.Entry<Long, List<LedgerEntry>> ledger : ledgers.entrySet()) {
            long count = 0;
            long cents = 0;
            Set<String> keys = chargedKeys.getOrDefault(ledger.getKey(), Set.of());
            for (LedgerEntry entry : ledger.getValue()) {
                // A hold's captures (ADR 34) are reconciled by checkHolds.
                if (entry.kind() == LedgerEntryKind.CHARGE && entry.operationId() == null) {
                    count++;
                    cents -= entry.amountCents();
                }
            }
            long[] expected = charged.getOrDefault(ledger.getKey(), new long[2]);
            if (expected[0] != count || expected[1] != cents) {
                model.violation(Invariant.MONEY_CONSERVED, "account " + ledger.getKey() + " was charged " + expected[0]
                        + " times for " + expected[1] + " cents, its ledger holds " + count + " charges for " + cents);
            }
            for (String key : replayedKeys.getOrDefault(ledger.getKey(), Set.of())) {
                if (!keys.contains(key)) {
                    model.violation(Invariant.APPLIED_AT_MOST_ONCE, "key " + key + " replayed on account "
                            + ledger.getKey() + " that it never charged");
                }
            }
        }
    }

    /** Per account: credits − reversals + restorations − charges, as the callers were told, is the balance. */
    private void checkMoneyConserved() {
        Map<Long, Long> expected = new HashMap<>();
        for (BankModel.Payment payment : model.paymentsByOperation.values()) {
            long userId = payment.creditedAccount();
            if (userId != 0) {
                expected.merge(userId, payment.credit.amountCents(), Long::sum);
            }
        }
        for (BankModel.Unclaimed unclaimed : model.unclaimedByOperation.values()) {
            long userId = unclaimed.assignedAccount();
            if (userId != 0) {
                expected.merge(userId, unclaimed.payment.amountCents(), Long::sum);
            }
        }
        for (BankModel.Reversal reversal : model.reversals.values()) {
            synchronized (reversal.results) {
                for (ReversalResult result : reversal.results) {
                    if (result.status() == ReversalResult.Status.APPLIED && result.userId().isPresent()) {
                        expected.merge(result.userId().getAsLong(), -result.movedCents(), Long::sum);
                    } else if (result.status() == ReversalResult.Status.DEFERRED) {
                        // Applied later by the credit: only the ledger tells how much.
                        LedgerEntry entry = entriesByOperation.get(reversal.reversal.operationId());
                        if (entry != null) {
                            expected.merge(entry.userId(), entry.amountCents(), Long::sum);
                        }
                    }
                }
            }
        }
        for (BankModel.Restoration restoration : model.restorations.values()) {
            synchronized (restoration.results) {
                for (ReversalResult result : restoration.results) {
                    if (result.status() == ReversalResult.Status.APPLIED && result.userId().isPresent()) {
                        expected.merge(result.userId().getAsLong(), result.movedCents(), Long::sum);
                    }
                }
            }
        }
        synchronized (model.charges) {
            for (BankModel.ChargeCall call : model.charges) {
                Long userId = model.tokenAccounts.get(call.token());
                if (call.result().outcome() == ChargeOutcome.CHARGED && userId != null) {
                    expected.merge(userId, -call.amountCents(), Long::sum);
                }
            }
        }
        addAdjustments(expected);
        for (Map.Entry<Long, Long> captured : model.holds.captured.entrySet()) {
            dev.stripeflare.HoldState hold = model.holds.made.get(captured.getKey());
            if (hold != null) {
                expected.merge(hold.userId(), -captured.getValue(), Long::sum);
            }
        }
        for (BankGrants.Asked grant : model.grants.applied.values()) {
            expected.merge(grant.userId(), grant.cents(), Long::sum);
        }
        for (long userId : ledgers.keySet()) {
            for (Grant grant : store.grants(userId)) {
                // Expiries a charge applied were told to no caller: the store's grant says what left.
                expected.merge(userId, -grant.endedCents(), Long::sum);
            }
        }
        for (long userId : ledgers.keySet()) {
            long balance = store.findById(userId).map(UserRecord::balanceCents).orElse(0L);
            long sum = expected.getOrDefault(userId, 0L);
            if (balance != sum) {
                model.violation(Invariant.MONEY_CONSERVED, "account " + userId + " holds " + balance
                        + " but credits - reversals + restorations - charges answered to callers are " + sum);
            }
        }
    }

    private void checkTokens(Collection<String> deviceTokens) {
        Set<String> tokens = new HashSet<>(model.tokenAccounts.keySet());
        tokens.addAll(model.rotatedAway.keySet());
        tokens.addAll(model.mustBeRevoked);
        tokens.addAll(deviceTokens);
        for (String token : tokens) {
            Optional<Long> opens = store.findByTokenHash(token).map(UserRecord::userId);
            Long account = model.tokenAccounts.get(token);
            boolean revoked = model.knownRevoked(token);
            if (model.mustBeRevoked.contains(token) && !revoked) {
                model.violation(Invariant.TOKENS, "a credit created an account without attaching token " + token
                        + ", which was never revoked");
            }
            Optional<Long> expected = account == null || revoked ? Optional.empty() : Optional.of(account);
            if (!opens.equals(expected)) {
                model.violation(Invariant.TOKENS, "token " + token + " opens " + opens + ", expected " + expected
                        + (revoked ? " (revoked)" : ""));
            }
        }
    }

    /**
     * A payer's first payments never create two live accounts (the second must find the first);
     * a payment identified by the payer lands in an account with the payer's verified email or
     * card, and one of the payer's own.
     */
    private void checkOneAccountPerPayer() {
        for (Map.Entry<String, Set<Long>> payer : model.payerAccounts.entrySet()) {
            List<Long> live = payer.getValue().stream().filter(ledgers::containsKey).sorted().toList();
            if (live.size() > 1) {
                model.violation(Invariant.ONE_ACCOUNT_PER_PAYER, "payments of payer " + payer.getKey()
                        + " created live accounts " + live);
            }
        }
        for (BankModel.Payment payment : model.identified) {
            long userId = payment.creditedAccount();
            Optional<UserRecord> account = ledgers.containsKey(userId) ? store.findById(userId) : Optional.empty();
            if (account.isEmpty()) {
                continue;
            }
            String email = payment.credit.profile().verifiedEmail();
            boolean byEmail = email != null && email.equalsIgnoreCase(account.get().verifiedEmail());
            boolean byCard = payment.cardFingerprint.equals(account.get().cardFingerprint());
            if (!byEmail && !byCard) {
                model.violation(Invariant.ONE_ACCOUNT_PER_PAYER, "payment " + payment.credit.operationId()
                        + " was identified as account " + account.get() + ", which has neither its email nor its card");
            }
            // A payer's identity is recorded only on accounts created through the payer's own
            // links (or links the payer's browsers hold): never on a stranger's account that the
            // payer merely paid into through the stranger's link, unless a browser of that
            // account came back from the payer's checkout in time (ADR 19's vouching, which a
            // store cannot tell from the payer's own return).
            Integer owner = model.accountOwners.get(userId);
            if (owner != null && owner != payment.payer && !model.returnedByAccountBrowser(payment.payer, userId)) {
                model.violation(Invariant.ONE_ACCOUNT_PER_PAYER, "payment " + payment.credit.operationId()
                        + " of payer " + payment.payer + " was identified as account " + userId
                        + ", created through the link of payer " + owner + ": " + account.get());
            }
        }
    }

    /**
     * Each unclaimed payment resolved at most once; an assigned one is exactly one PAYMENT entry
     * of its amount in the account its answer named, an unassigned one is in no ledger; the store
     * shows it as its answers said.
     */
    private void checkUnclaimed() {
        for (BankModel.Unclaimed unclaimed : model.unclaimedByOperation.values()) {
            List<UnclaimedResolution> results;
            synchronized (unclaimed.resolutions) {
                results = List.copyOf(unclaimed.resolutions);
            }
            UnclaimedPayment payment = unclaimed.payment;
            long resolved = results.stream().filter(r -> r.status() == UnclaimedResolution.Status.RESOLVED).count();
            if (resolved > 1) {
                model.violation(Invariant.APPLIED_AT_MOST_ONCE, "unclaimed payment " + payment.id() + " resolved "
                        + resolved + " times: " + results);
            }
            long userId = unclaimed.assignedAccount();
            LedgerEntry entry = entriesByOperation.get(payment.operationId());
            if (userId == 0 && entry != null) {
                model.violation(Invariant.MONEY_CONSERVED, "unclaimed payment " + payment.id()
                        + " was never assigned but credited " + entry);
            }
            if (userId != 0 && ledgers.containsKey(userId) && (entry == null || entry.userId() != userId
                    || entry.kind() != LedgerEntryKind.PAYMENT || entry.amountCents() != payment.amountCents())) {
                model.violation(Invariant.MONEY_CONSERVED, "unclaimed payment " + payment.id() + " assigned to "
                        + userId + " has ledger entry " + entry);
            }
            UnclaimedPayment.Status expected = resolved == 0 ? UnclaimedPayment.Status.OPEN
                    : userId != 0 ? UnclaimedPayment.Status.ASSIGNED : UnclaimedPayment.Status.REFUNDED;
            UnclaimedPayment.Status stored = store.findUnclaimed(payment.id()).map(UnclaimedPayment::status)
                    .orElse(null);
            if (stored != expected) {
                model.violation(Invariant.APPLIED_AT_MOST_ONCE, "unclaimed payment " + payment.id() + " is "
                        + stored + " in the store, but its answers say " + expected);
            }
        }
    }

    // Adjustments (issue 13, ADR 32).

    /** What the adjustments answered APPLIED to callers moved, per account. */
    private void addAdjustments(Map<Long, Long> expected) {
        synchronized (model.adjustments) {
            for (BankModel.AdjustCall call : model.adjustments) {
                if (call.result() != null && call.result().outcome() == AdjustmentOutcome.APPLIED) {
                    expected.merge(call.adjustment().userId(), call.adjustment().amountCents(), Long::sum);
                }
            }
        }
    }

    /**
     * Each adjustment id applied at most once, its ledger entry where and as its answer said, no
     * entry without an answer, a replay only of an applied id, and "no such account" only for a
     * deleted one.
     */
    private void checkAdjustments() {
        Map<String, Integer> applied = new HashMap<>();
        Set<String> replayed = new HashSet<>();
        synchronized (model.adjustments) {
            for (BankModel.AdjustCall call : model.adjustments) {
                String op = call.adjustment().operationId();
                long userId = call.adjustment().userId();
                if (call.result() == null) {
                    if (!model.deletedAccounts.contains(userId)) {
                        model.violation(Invariant.MONEY_CONSERVED, "adjustment " + op + " found no account " + userId
                                + ", which was never deleted");
                    }
                    continue;
                }
                switch (call.result().outcome()) {
                    case APPLIED -> {
                        applied.merge(op, 1, Integer::sum);
                        LedgerEntry entry = entriesByOperation.get(op);
                        if (ledgers.containsKey(userId) && (entry == null || entry.userId() != userId
                                || entry.kind() != LedgerEntryKind.ADJUSTMENT
                                || entry.amountCents() != call.adjustment().amountCents())) {
                            model.violation(Invariant.MONEY_CONSERVED, "adjustment " + op + " answered " + call.result()
                                    + " but the ledger holds " + entry);
                        }
                    }
                    case REPLAYED -> replayed.add(op);
                    case INSUFFICIENT_BALANCE -> {
                        if (call.adjustment().allowNegativeBalance() || call.adjustment().amountCents() > 0) {
                            model.violation(Invariant.MONEY_CONSERVED, "adjustment " + op + " was declined: " + call);
                        }
                    }
                }
            }
        }
        applied.forEach((op, times) -> {
            if (times > 1) {
                model.violation(Invariant.APPLIED_AT_MOST_ONCE, "adjustment " + op + " applied " + times + " times");
            }
        });
        for (String op : replayed) {
            if (!applied.containsKey(op)) {
                model.violation(Invariant.APPLIED_AT_MOST_ONCE, "adjustment " + op + " replayed but never applied");
            }
        }
        for (List<LedgerEntry> ledger : ledgers.values()) {
            for (LedgerEntry entry : ledger) {
                if (entry.kind() == LedgerEntryKind.ADJUSTMENT) {
                    if (!applied.containsKey(entry.operationId())) {
                        model.violation(Invariant.MONEY_CONSERVED, "ledger entry of no applied adjustment: " + entry);
                    }
                    if ("checked".equals(entry.memo()) && entry.amountCents() < 0 && entry.balanceAfterCents() < 0) {
                        model.violation(Invariant.NO_UNALLOWED_OVERDRAFT, "adjustment without permission went to "
                                + entry.balanceAfterCents() + ": " + entry);
                    }
                }
            }
        }
    }

    /**
     * Grants (ADR 33): every live account's grants consistent with its ledger and granted credit
     * ({@link GrantAssertions}); every grant a caller was told applied is in its account with its
     * cents; every duplicate answer names the account and cents first asked; every end a caller was
     * told is what the store's grant says ended.
     */
    private void checkGrants() {
        Map<String, Grant> stored = new HashMap<>();
        for (long userId : ledgers.keySet()) {
            try {
                GrantAssertions.assertGrantsConsistent(store, userId, ledgers.get(userId));
            } catch (AssertionError e) {
                model.violation(Invariant.GRANTS, "account " + userId + ": " + e.getMessage());
            }
            for (Grant grant : store.grants(userId)) {
                stored.put(grant.operationId(), grant);
            }
        }
        synchronized (model.grants.noAccount) {
            for (BankGrants.Asked asked : model.grants.noAccount) {
                if (!model.deletedAccounts.contains(asked.userId())) {
                    model.violation(Invariant.GRANTS, "grant " + asked + " to a live account answered NO_SUCH_ACCOUNT");
                }
            }
        }
        for (BankGrants.Asked asked : model.grants.applied.values()) {
            if (model.deletedAccounts.contains(asked.userId())) {
                continue;
            }
            Grant grant = stored.get(asked.operationId());
            if (grant == null || grant.userId() != asked.userId() || grant.grantedCents() != asked.cents()) {
                model.violation(Invariant.GRANTS, "grant " + asked + " applied but the store holds " + grant);
            }
        }
        synchronized (model.grants.duplicates) {
            for (Object[] duplicate : model.grants.duplicates) {
                BankGrants.Asked asked = (BankGrants.Asked) duplicate[0];
                dev.stripeflare.spi.GrantChange result = (dev.stripeflare.spi.GrantChange) duplicate[1];
                BankGrants.Asked first = model.grants.applied.get(asked.operationId());
                if (first == null || first.userId() != result.userId() || first.cents() != result.cents()) {
                    model.violation(Invariant.GRANTS, "duplicate grant " + asked + " answered " + result
                            + ", first applied " + first);
                }
            }
        }
        for (Map.Entry<String, Long> told : model.grants.ended.entrySet()) {
            Grant grant = stored.get(told.getKey());
            BankGrants.Asked asked = model.grants.applied.get(told.getKey());
            if (asked != null && model.deletedAccounts.contains(asked.userId())) {
                continue;
            }
            if (grant == null || grant.endedCents() != told.getValue()
                    || grant.status() == Grant.Status.ACTIVE) {
                model.violation(Invariant.GRANTS, "grant " + told.getKey() + " was told to have ended with "
                        + told.getValue() + " cents, the store holds " + grant);
            }
        }
    }

    private void checkHolds() {
        for (long userId : ledgers.keySet()) {
            try {
                HoldAssertions.assertHoldsConsistent(store, userId, ledgers.get(userId));
            } catch (AssertionError e) {
                model.violation(Invariant.HOLDS, "account " + userId + ": " + e.getMessage());
            }
        }
        for (Map.Entry<Long, Long> told : model.holds.captured.entrySet()) {
            dev.stripeflare.HoldState made = model.holds.made.get(told.getKey());
            if (made == null) {
                model.violation(Invariant.HOLDS, "hold " + told.getKey() + " captured but never told made");
                continue;
            }
            if (model.deletedAccounts.contains(made.userId())) {
                continue;
            }
            Optional<dev.stripeflare.HoldState> stored = store.findHold(told.getKey());
            if (stored.isEmpty() || stored.get().capturedCents() != told.getValue()) {
                model.violation(Invariant.HOLDS, "hold " + told.getKey() + " was told to have captured "
                        + told.getValue() + " cents, the store holds " + stored);
            }
        }
    }
}
