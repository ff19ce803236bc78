package dev.stripeflare.store.memory;

import dev.stripeflare.AdjustmentOutcome;
import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.spi.Adjustment;
import java.util.concurrent.atomic.AtomicLong;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.UnclaimedAssignment;
import dev.stripeflare.spi.UnclaimedResolution;
import dev.stripeflare.spi.UserRecord;
import dev.stripeflare.spi.UserStore;
import dev.stripeflare.tck.ForwardingUserStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Deliberately broken stores: the in-memory store with one defect of the kind issue 9 found,
 * each reproduced through the SPI alone. The bank test must fail against every one of them.
 */
final class BrokenStores {

    private BrokenStores() {
    }

    /**
     * An opening for visitors that forgets revocation: a token it once opened an account for
     * opens that account again after the token was rotated away or the account deleted (as a
     * store that looked only at a cache of live tokens would).
     */
    static UserStore openingRevivingRevokedTokens(UserStore store) {
        return new ForwardingUserStore(store) {
            private final Map<String, Long> opened = new ConcurrentHashMap<>();

            @Override
            public dev.stripeflare.spi.OpenedAccount openAccount(String tokenHash, java.time.Instant at) {
                dev.stripeflare.spi.OpenedAccount answer = delegate.openAccount(tokenHash, at);
                if (answer.opens()) {
                    opened.put(tokenHash, answer.userId());
                    return answer;
                }
                Long before = opened.get(tokenHash);
                return before == null ? answer
                        : new dev.stripeflare.spi.OpenedAccount(dev.stripeflare.spi.OpenedAccount.Status.EXISTING, before);
            }
        };
    }

    /**
     * A credit that vouches for every payer (ADR 19's attack): the checkout is returned to at once
     * by the token whose link was paid, as if that browser had paid, so a payer who paid through
     * a stranger's link has their verified email and card recorded on the stranger's account, and
     * their later payments are identified there. The bank test's own claims never see it.
     */
    static UserStore creditVouchingForEveryPayer(UserStore store) {
        return new ForwardingUserStore(store) {
            @Override
            public CreditResult credit(PaymentCredit credit) {
                CreditResult result = delegate.credit(credit);
                if (result.status() == CreditResult.Status.APPLIED && credit.checkoutId() != null
                        && (result.account() == CreditResult.Account.EXISTING
                        || result.account() == CreditResult.Account.CREATED)) {
                    delegate.claimCheckout(new dev.stripeflare.spi.CheckoutClaim(credit.checkoutId(),
                            credit.tokenHash(), credit.at(), credit.claimableUntil()));
                }
                return result;
            }
        };
    }

    /** A charge that skips its balance check: every debit may overdraw. */
    static UserStore chargeWithoutBalanceCheck(UserStore store) {
        return new ForwardingUserStore(store) {
            @Override
            public ChargeResult charge(Debit debit) {
                return delegate.charge(new Debit(debit.tokenHash(), debit.userId(), debit.amountCents(), true,
                        debit.idempotencyKey(), debit.memo(), debit.at()));
            }
        };
    }

    /**
     * A rotation that checks that the old token opens an account, then rotates without looking at
     * whether it still removed the old row (as a SELECT followed by an UPDATE whose row count is
     * ignored): two rotations of one token at once both succeed and leave two live tokens.
     */
    static UserStore rotationIgnoringItsRowCount(UserStore store) {
        return new ForwardingUserStore(store) {
            private final Map<String, Long> secondTokens = new ConcurrentHashMap<>();

            @Override
            public boolean rotateToken(String oldTokenHash, String newTokenHash) {
                Optional<UserRecord> account = delegate.findByTokenHash(oldTokenHash);
                if (account.isEmpty()) {
                    return false;
                }
                LockSupport.parkNanos(200_000); // the gap between the read and the write
                if (!delegate.rotateToken(oldTokenHash, newTokenHash)) {
                    secondTokens.put(newTokenHash, account.get().userId());
                }
                return true;
            }

            @Override
            public Optional<UserRecord> findByTokenHash(String tokenHash) {
                Long userId = secondTokens.get(tokenHash);
                return userId == null ? delegate.findByTokenHash(tokenHash) : delegate.findById(userId);
            }
        };
    }

    /**
     * A reversal that takes what it asks for, however much the payment's earlier reversals took:
     * the store's own cap is undone by an extra debit the wrapper keeps and shows in balances and
     * ledgers.
     */
    static UserStore reversalWithoutCap(UserStore store) {
        return new UncappedReversals(store);
    }

    /**
     * A credit that loses deferred reversals: each reversal answered {@code DEFERRED} is dropped
     * at once (cancelled in the delegate), so the credit that arrives later never applies it.
     */
    static UserStore creditLosingDeferredReversals(UserStore store) {
        return new ForwardingUserStore(store) {
            @Override
            public ReversalResult reverse(PaymentReversal reversal) {
                ReversalResult result = delegate.reverse(reversal);
                if (result.status() == ReversalResult.Status.DEFERRED) {
                    delegate.restore(new PaymentRestoration("lost:" + reversal.operationId(),
                            reversal.operationId(), LedgerEntryKind.REFUND_FAILED, null, reversal.at()));
                }
                return result;
            }
        };
    }

    private static final class UncappedReversals extends ForwardingUserStore {

        private record Extra(String operationId, long cents, int position) { }

        private final Map<String, Long> creditedCents = new ConcurrentHashMap<>();
        private final Map<Long, List<Extra>> extras = new ConcurrentHashMap<>();

        UncappedReversals(UserStore delegate) {
            super(delegate);
        }

        @Override
        public CreditResult credit(PaymentCredit credit) {
            CreditResult result = delegate.credit(credit);
            if (result.status() == CreditResult.Status.APPLIED && credit.paymentReference() != null) {
                creditedCents.put(credit.paymentReference(), credit.amountCents());
            }
            return result;
        }

        @Override
        public synchronized ReversalResult reverse(PaymentReversal reversal) {
            ReversalResult result = delegate.reverse(reversal);
            Long credited = creditedCents.get(reversal.paymentReference());
            if (result.status() != ReversalResult.Status.APPLIED || result.userId().isEmpty() || credited == null) {
                return result;
            }
            long userId = result.userId().getAsLong();
            long shortfall = reversal.requestedCents(credited) - result.movedCents();
            if (shortfall <= 0) {
                return result;
            }
            int position = delegate.ledger(userId).size();
            extras.computeIfAbsent(userId, u -> new ArrayList<>())
                    .add(new Extra(reversal.operationId(), shortfall, position));
            return new ReversalResult(result.status(), OptionalLong.of(userId), result.balanceCents() - shortfall,
                    result.movedCents() + shortfall);
        }

        private synchronized long extraOf(long userId) {
            return extras.getOrDefault(userId, List.of()).stream().mapToLong(Extra::cents).sum();
        }

        private Optional<UserRecord> lower(Optional<UserRecord> account) {
            return account.map(a -> new UserRecord(a.userId(), a.balanceCents() - extraOf(a.userId()), a.name(),
                    a.email(), a.verifiedEmail(), a.cardFingerprint(), a.customFields(), a.createdAt()));
        }

        @Override
        public Optional<UserRecord> findById(long userId) {
            return lower(delegate.findById(userId));
        }

        @Override
        public Optional<UserRecord> findByTokenHash(String tokenHash) {
            return lower(delegate.findByTokenHash(tokenHash));
        }

        /** Rolls nothing up: the entries this double invents sit at ledger positions a roll-up would move. */
        @Override
        public dev.stripeflare.ArchiveReport archiveBefore(java.time.Instant before, dev.stripeflare.LedgerArchive sink) {
            return new dev.stripeflare.ArchiveReport(0, 0);
        }

        @Override
        public synchronized List<LedgerEntry> ledger(long userId) {
            List<LedgerEntry> real = delegate.ledger(userId);
            List<Extra> mine = extras.getOrDefault(userId, List.of());
            List<LedgerEntry> merged = new ArrayList<>();
            long running = 0;
            for (int i = 0; i <= real.size(); i++) {
                for (Extra extra : mine) {
                    boolean hasEntry = real.stream().anyMatch(e -> extra.operationId().equals(e.operationId()));
                    if (!hasEntry && extra.position() == i) {
                        running -= extra.cents();
                        merged.add(new LedgerEntry(userId, -extra.cents(), running, LedgerEntryKind.REFUND,
                                extra.operationId(), null, real.isEmpty() ? java.time.Instant.EPOCH
                                : real.get(Math.max(0, i - 1)).at()));
                    }
                }
                if (i == real.size()) {
                    break;
                }
                LedgerEntry entry = real.get(i);
                long amount = entry.amountCents();
                for (Extra extra : mine) {
                    if (extra.operationId().equals(entry.operationId())) {
                        amount -= extra.cents();
                    }
                }
                running += amount;
                merged.add(new LedgerEntry(userId, amount, running, entry.kind(), entry.operationId(), entry.memo(),
                        entry.at()));
            }
            return merged;
        }
    }

    /**
     * An assignment of an unclaimed payment that does not look at whether it is still open (as an
     * UPDATE whose row count is ignored): a payment assigned or refunded before is answered
     * "assigned" again, so the operator believes the money went to a second account.
     */
    static UserStore unclaimedAssignmentIgnoringItsStatus(UserStore store) {
        return new ForwardingUserStore(store) {
            @Override
            public UnclaimedResolution assignUnclaimed(UnclaimedAssignment assignment) {
                UnclaimedResolution real = delegate.assignUnclaimed(assignment);
                if (real.status() == UnclaimedResolution.Status.ALREADY_ASSIGNED
                        || real.status() == UnclaimedResolution.Status.ALREADY_REFUNDED) {
                    return new UnclaimedResolution(UnclaimedResolution.Status.RESOLVED, Optional.of(real.payment()
                            .orElseThrow().assignedTo(assignment.userId(), assignment.note(), assignment.at())), 0);
                }
                return real;
            }
        };
    }

    /**
     * An adjustment store that forgets operation ids (issue 13): a repeated id is applied again,
     * as a table without its primary key would.
     */
    static UserStore adjustmentForgettingItsOperationId(UserStore store) {
        return new ForwardingUserStore(store) {
            private final AtomicLong again = new AtomicLong();

            @Override
            public AdjustmentResult adjust(Adjustment adjustment) {
                AdjustmentResult real = delegate.adjust(adjustment);
                if (real.outcome() != AdjustmentOutcome.REPLAYED) {
                    return real;
                }
                return delegate.adjust(new Adjustment(adjustment.userId(), adjustment.amountCents(),
                        adjustment.allowNegativeBalance(), adjustment.reason(),
                        adjustment.operationId() + "#" + again.incrementAndGet(), adjustment.at()));
            }
        };
    }

    /** An adjustment that ignores "without overdraft" (issue 13): a declined one is applied anyway. */
    static UserStore adjustmentIgnoringItsBalanceCheck(UserStore store) {
        return new ForwardingUserStore(store) {
            @Override
            public AdjustmentResult adjust(Adjustment adjustment) {
                return delegate.adjust(new Adjustment(adjustment.userId(), adjustment.amountCents(), true,
                        adjustment.reason(), adjustment.operationId(), adjustment.at()));
            }
        };
    }

    /**
     * A grant whose exactly-once record is not checked (as an INSERT without its unique key): a
     * replayed operation id gives the credit again and is answered "applied".
     */
    static UserStore grantAppliedAgainOnReplay(UserStore store) {
        return new ForwardingUserStore(store) {
            @Override
            public GrantChange grant(CreditGrant grant) {
                GrantChange real = delegate.grant(grant);
                if (real.status() == GrantChange.Status.DUPLICATE && delegate.findById(grant.userId()).isPresent()) {
                    return delegate.grant(new CreditGrant(grant.userId(), grant.amountCents(),
                            grant.operationId() + "#again", grant.reason(), grant.expiresAt(), grant.at()));
                }
                return real;
            }
        };
    }
}
