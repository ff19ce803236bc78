package dev.stripeflare.tck;

import dev.stripeflare.spi.UserStore;
import org.junit.jupiter.api.Nested;

/**
 * The contract every {@link UserStore} must pass: extend this class in the store's tests and
 * implement {@link #newStore()}.
 *
 * <pre>{@code
 * class H2UserStoreContractTest extends UserStoreContract {
 *     @Override
 *     protected UserStore newStore() {
 *         return H2UserStore.inMemory("contract-" + UUID.randomUUID());
 *     }
 * }
 * }</pre>
 *
 * <p>The suite is organised in nested groups (lookups, charges, idempotent charges, credits,
 * reversals, settlements, token rotation, deletion, lifecycle, concurrency, and the rules of
 * issue 9: account choice, checkout claims, tombstones, reversal caps, restorations, abuse by a link holder, and races of
 * the steps that meet on one account, token or payment), and the bank test: a seeded randomized
 * workload of all of them at once, reconciled against a model ({@link BankWorkload}). After every test
 * it checks that each account the test touched still has a balance equal to the sum of its
 * ledger, then closes the store. Concurrency tests run 8 threads behind a start gate and fail,
 * rather than hang, if a store deadlocks. Nothing asserts timing.
 *
 * <p>Helpers for a store's own extra tests: {@link dev.stripeflare.spi.TokenHashes},
 * {@link StoreFixtures}, {@link LedgerAssertions}, {@link ConcurrentRun}, {@link BankWorkload},
 * {@link ForwardingUserStore}.
 */
public abstract class UserStoreContract {

    /**
     * A fresh, empty, open store, called once per test. The suite closes it after the test;
     * stores that hold external resources must release them in {@link UserStore#close()}.
     *
     * @return a new, empty store
     */
    protected abstract UserStore newStore();

    /**
     * How many operations the bank test runs when {@value BankWorkload#OPERATIONS_PROPERTY} is
     * not set: 20 000 by default; a slow (durable) store may run fewer so that the default build
     * stays quick, and runs any number under the property.
     *
     * @return the operations of the bank test
     */
    protected int bankOperations() {
        return 20_000;
    }

    @Nested
    class Lookups extends LookupContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Charges extends ChargeContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class IdempotentCharges extends IdempotentChargeContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Credits extends CreditContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Reversals extends ReversalContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Settlements extends SettlementContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class TokenRotation extends RotationContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Deletion extends DeletionContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Lifecycle extends LifecycleContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Concurrency extends ConcurrencyContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class AccountChoice extends AccountChoiceContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class CheckoutClaims extends CheckoutClaimContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Tombstones extends TombstoneContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class ReversalCaps extends ReversalCapContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Restorations extends RestorationContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Abuse extends AbuseContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Races extends RaceContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Bank extends BankContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }

        @Override
        int defaultOperations() {
            return bankOperations();
        }
    }

    @Nested
    class PayerIdentity extends PayerIdentityContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class UnclaimedPayments extends UnclaimedPaymentContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Retention extends RetentionContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class ChargesByUserId extends ChargeByUserContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Adjustments extends AdjustmentContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Archive extends ArchiveContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Grants extends GrantContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class VisitorAccounts extends VisitorAccountContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class ChargeExpiryReports extends ChargeExpiryContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }

    @Nested
    class Holds extends HoldContract {
        @Override
        UserStore newStore() {
            return UserStoreContract.this.newStore();
        }
    }
}
