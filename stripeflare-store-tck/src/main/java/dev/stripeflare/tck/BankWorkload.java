package dev.stripeflare.tck;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.StoreException;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.UnknownUserException;
import dev.stripeflare.spi.Adjustment;
import dev.stripeflare.spi.CheckoutClaim;
import dev.stripeflare.spi.ClaimResult;
import dev.stripeflare.spi.CreditGrant;
import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.Debit;
import dev.stripeflare.spi.HoldCapture;
import dev.stripeflare.spi.HoldChange;
import dev.stripeflare.spi.Reservation;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.spi.GrantVoid;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import dev.stripeflare.spi.PaymentRestoration;
import dev.stripeflare.spi.PaymentReversal;
import dev.stripeflare.spi.ReversalResult;
import dev.stripeflare.spi.TokenHashes;
import dev.stripeflare.spi.UnclaimedAssignment;
import dev.stripeflare.spi.UserStore;
import dev.stripeflare.tck.BankReport.Invariant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bank test of issue 9: a seeded, randomized workload of every money and token step a wallet
 * drives — payments delivered twice or late, refunds and disputes racing their payments (some
 * in Adaptive Pricing fractions), restorations, charges with and without idempotency keys and
 * retried keys, overdraft-allowed charges, rotations racing rotations, charges and deletions,
 * new devices joining by checkout claims, attackers claiming others' checkouts and replaying
 * rotated-away tokens, deletions — run by several threads against one store, checked as it runs
 * and reconciled against the store's ledgers at the end (see {@link BankReport.Invariant}).
 *
 * <p>Each worker draws its operations from its own {@link Random} seeded from the run's seed, so
 * a seed replays the same operation streams; the interleaving of the threads is the machine's.
 * Thread-safe; one instance runs one workload.
 */
public final class BankWorkload {

    /** System property naming the seed to replay (a long); a random seed otherwise. */
    public static final String SEED_PROPERTY = "stripeflare.bank.seed";
    /** System property with the number of operations to run (all threads together). */
    public static final String OPERATIONS_PROPERTY = "stripeflare.bank.ops";

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration CLAIM_WINDOW = Duration.ofHours(1);

    /**
     * The size of a run.
     *
     * @param seed       seeds every worker's operation stream
     * @param threads    workers running at once, at least 1
     * @param operations operations to run, all workers together, at least 1
     * @param people     payers (each with their own card; some with a verified email), at least 2
     */
    public record Settings(long seed, int threads, int operations, int people) {

        /**
         * Checks the settings.
         *
         * @param seed       seeds every worker's operation stream
         * @param threads    workers running at once, at least 1
         * @param operations operations to run, all workers together, at least 1
         * @param people     payers, at least 2
         */
        public Settings {
            if (threads < 1 || operations < 1 || people < 2) {
                throw new IllegalArgumentException("threads >= 1, operations >= 1, people >= 2: " + this);
            }
        }

        /**
         * 8 threads and 40 payers; the seed from {@value #SEED_PROPERTY} or random, the number of
         * operations from {@value #OPERATIONS_PROPERTY} or {@code defaultOperations}.
         *
         * @param defaultOperations the operations when no property sets them
         * @return the settings
         */
        public static Settings fromSystemProperties(int defaultOperations) {
            String seed = System.getProperty(SEED_PROPERTY);
            String operations = System.getProperty(OPERATIONS_PROPERTY);
            return new Settings(
                    seed == null || seed.isBlank() ? new Random().nextLong() : Long.parseLong(seed.trim()),
                    8,
                    operations == null || operations.isBlank() ? defaultOperations : Integer.parseInt(operations.trim()),
                    40);
        }
    }

    private final Settings settings;
    private final UserStore store;
    private final BankModel model = new BankModel();
    private final AtomicLong clock = new AtomicLong();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final List<Person> people = new ArrayList<>();
    /** Devices of the first payers that every worker rotates often, so that rotations race. */
    private final List<Device> hotDevices = new ArrayList<>();
    private final Pool<BankModel.Payment> undelivered = new Pool<>();
    private final Pool<BankModel.Payment> delivered = new Pool<>();
    private final Pool<BankModel.Payment> payments = new Pool<>();
    private final Pool<BankModel.Payment> checkouts = new Pool<>();
    private final Pool<BankModel.Reversal> reversals = new Pool<>();
    private final Pool<String> revokedTokens = new Pool<>();
    private final Pool<BankModel.Unclaimed> unclaimed = new Pool<>();
    private final Pool<BankGrants.Asked> grantsGiven = new Pool<>();
    /** Tokens of visitors who never pay, opened by their first charge (ADR 33 addendum). */
    private final Pool<String> visitorTokens = new Pool<>();
    /** The allowance visitors' accounts are opened with. */
    private static final dev.stripeflare.Allowance ALLOWANCE =
            new dev.stripeflare.Allowance(50, dev.stripeflare.Allowance.Period.DAY);
    private final Pool<Long> openHolds = new Pool<>();

    private BankWorkload(Settings settings, UserStore store) {
        this.settings = settings;
        this.store = store;
        for (int i = 0; i < settings.people(); i++) {
            Person person = new Person(i, "card-" + i, i % 3 == 0 ? "payer-" + i + "@example.com" : null);
            person.devices.add(new Device(person, "p" + i + "-d0"));
            people.add(person);
        }
        for (int i = 0; i < Math.min(4, settings.people()); i++) {
            hotDevices.add(people.get(i).devices.get(0));
        }
    }

    /**
     * Runs the workload against {@code store} (fresh and empty), then audits it; never throws for
     * a broken invariant, but reports it.
     *
     * @param store    the store under test
     * @param settings the seed, threads, operations and payers
     * @return what the run did and found
     */
    public static BankReport run(UserStore store, Settings settings) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(settings, "settings");
        long start = System.nanoTime();
        BankWorkload workload = new BankWorkload(settings, store);
        try {
            workload.runWorkers();
            workload.deliverTheRest();
            new BankAudit(store, workload.model).audit(workload.deviceTokens());
        } catch (RuntimeException | AssertionError e) {
            // Reported with the seed, like every other finding.
            workload.model.violation(Invariant.UNEXPECTED_EXCEPTION, "the run stopped: " + e
                    + (e.getCause() == null ? "" : " caused by " + e.getCause()));
        }
        Map<String, Long> operations = new TreeMap<>();
        workload.counts.forEach((kind, n) -> operations.put(kind, n.sum()));
        return new BankReport(settings, operations, workload.model.violationCount(), workload.model.violations(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private void runWorkers() {
        int perThread = Math.max(1, settings.operations() / settings.threads());
        ConcurrentRun.race(settings.threads(), Duration.ofMinutes(30), thread -> {
            Worker worker = new Worker(thread, new Random(settings.seed() * 1_000_003L + thread));
            for (int i = 0; i < perThread; i++) {
                worker.step();
            }
            return null;
        });
    }

    /** Delivers every payment still waiting, so that every deferred reversal meets its credit. */
    private void deliverTheRest() {
        Random random = new Random(settings.seed());
        BankModel.Payment payment;
        while ((payment = undelivered.take(random)) != null) {
            deliver(payment, false);
            delivered.add(payment);
        }
    }

    private List<String> deviceTokens() {
        List<String> tokens = new ArrayList<>();
        for (Person person : people) {
            synchronized (person) {
                person.devices.forEach(device -> tokens.add(device.tokenHash.get()));
            }
        }
        return tokens;
    }

    private Instant now() {
        return T0.plusMillis(clock.incrementAndGet());
    }

    private void count(String kind) {
        counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    private void unexpected(String what, RuntimeException e) {
        model.violation(Invariant.UNEXPECTED_EXCEPTION, what + " threw " + e);
    }

    private void deliver(BankModel.Payment payment, boolean redelivery) {
        String token = payment.credit.tokenHash();
        boolean revokedBefore = model.knownRevoked(token);
        Long openedBefore = model.tokenAccounts.get(token);
        try {
            CreditResult result = store.credit(payment.credit);
            if (redelivery && result.status() != CreditResult.Status.DUPLICATE) {
                model.violation(Invariant.APPLIED_AT_MOST_ONCE, "payment " + payment.credit.operationId()
                        + " delivered again answered " + result);
            }
            model.credited(payment, result, revokedBefore, openedBefore);
        } catch (RuntimeException e) {
            unexpected("credit " + payment.credit.operationId(), e);
        }
    }

    /** A payer: their own card, maybe a verified email, and the browsers (devices) they pay from. */
    private static final class Person {
        final int index;
        final String card;
        final String verifiedEmail;
        final List<Device> devices = new ArrayList<>();

        Person(int index, String card, String verifiedEmail) {
            this.index = index;
            this.card = card;
            this.verifiedEmail = verifiedEmail;
        }

        synchronized Device device(Random random) {
            return devices.get(random.nextInt(devices.size()));
        }

        synchronized Device newDevice(String token) {
            Device device = new Device(this, token);
            devices.add(device);
            return device;
        }
    }

    /** A browser: the token hash its cookie holds now. */
    private static final class Device {
        final Person owner;
        final AtomicReference<String> tokenHash;

        Device(Person owner, String token) {
            this.owner = owner;
            this.tokenHash = new AtomicReference<>(TokenHashes.of(token));
        }
    }

    /** A shared bag to pick from at random. */
    private static final class Pool<T> {
        private final List<T> items = new ArrayList<>();

        synchronized void add(T item) {
            items.add(item);
        }

        synchronized T pick(Random random) {
            return items.isEmpty() ? null : items.get(random.nextInt(items.size()));
        }

        synchronized T take(Random random) {
            if (items.isEmpty()) {
                return null;
            }
            int i = random.nextInt(items.size());
            T item = items.get(i);
            items.set(i, items.get(items.size() - 1));
            items.remove(items.size() - 1);
            return item;
        }
    }

    /** One thread's operation stream. */
    private final class Worker {
        private final int thread;
        private final Random random;
        private long sequence;
        private final List<Debit> keyedCharges = new ArrayList<>();

        Worker(int thread, Random random) {
            this.thread = thread;
            this.random = random;
        }

        private String id(String kind) {
            return "t" + thread + "-" + kind + "-" + (++sequence);
        }

        void step() {
            if (random.nextInt(100) < 5) {
                holdStep();
                return;
            }
            int dice = random.nextInt(1_000);
            if (dice < 200) {
                pay();
            } else if (dice < 250) {
                deliverLate();
            } else if (dice < 290) {
                redeliverPayment();
            } else if (dice < 540) {
                charge();
            } else if (dice < 560) {
                openVisitor();
            } else if (dice < 640) {
                reverse();
            } else if (dice < 660) {
                redeliverReversal();
            } else if (dice < 700) {
                restore();
            } else if (dice < 710) {
                cancelInAdvance();
            } else if (dice < 780) {
                rotate(randomDevice());
            } else if (dice < 830) {
                rotate(hotDevices.get(random.nextInt(hotDevices.size())));
            } else if (dice < 850) {
                rotateStaleOrOntoRevoked();
            } else if (dice < 900) {
                claimLate();
            } else if (dice < 940) {
                attackCheckout();
            } else if (dice < 945) {
                delete();
            } else if (dice < 950) {
                keepUnclaimed();
            } else if (dice < 958) {
                resolveUnclaimed();
            } else if (dice < 970) {
                adjust();
            } else if (dice < 980) {
                chargeById();
            } else if (dice < 984) {
                maintain();
            } else if (dice < 986 && thread == 0) {
                archive();
            } else if (dice < 992) {
                grant();
            } else if (dice < 994) {
                voidGrant();
            } else if (dice < 996) {
                expireGrants();
            } else {
                lookUp();
            }
        }

        private Person randomPerson() {
            return people.get(random.nextInt(people.size()));
        }

        private Device randomDevice() {
            return randomPerson().device(random);
        }

        /** The device's token, replaced by a fresh one when its account is known deleted (a new cookie). */
        private String liveTokenOf(Device device) {
            String token = device.tokenHash.get();
            Long account = model.tokenAccounts.get(token);
            if (account != null && model.deletedAccounts.contains(account)) {
                String fresh = TokenHashes.of(id("cookie"));
                device.tokenHash.compareAndSet(token, fresh);
                return device.tokenHash.get();
            }
            return token;
        }

        private void pay() {
            count("pay");
            Person payer = randomPerson();
            Device browser = random.nextInt(5) == 0 ? payer.newDevice(id("device")) : payer.device(random);
            String browserToken = liveTokenOf(browser);
            // One payment in twenty follows a link someone else sent: it carries their token.
            Device link = random.nextInt(20) == 0 ? randomDevice() : browser;
            String linkToken = link == browser ? browserToken : liveTokenOf(link);
            String operationId = id("pay");
            Instant at = now();
            String email = payer.verifiedEmail == null ? null
                    : random.nextBoolean() ? payer.verifiedEmail : payer.verifiedEmail.toUpperCase(Locale.ROOT);
            // One payment in five on the payer's own link comes without a checkout (the caller
            // vouches for the payer); a link someone else sent always goes through a checkout.
            boolean vouched = link == browser && random.nextInt(5) == 0;
            PaymentCredit credit = new PaymentCredit(operationId, linkToken, 50 + random.nextInt(5_000),
                    "pi_" + operationId, new PaymentProfile("Payer " + payer.index, null, email, payer.card),
                    vouched ? null : "cs_" + operationId, vouched ? null : at.plus(CLAIM_WINDOW), null, at);
            BankModel.Payment payment = new BankModel.Payment(credit, payer.card, browserToken, payer.index,
                    link.owner.index);
            model.paymentsByOperation.put(operationId, payment);
            model.paymentsByReference.put(credit.paymentReference(), payment);
            payments.add(payment);
            if (!vouched) {
                checkouts.add(payment);
            }
            if (random.nextInt(4) == 0) {
                // The webhook comes later (refunds may overtake it); the browser may return first.
                if (!vouched && random.nextBoolean()) {
                    claim(payment, browserToken, false);
                }
                undelivered.add(payment);
                return;
            }
            deliver(payment, false);
            delivered.add(payment);
            if (!vouched && random.nextInt(10) < 6) {
                claim(payment, browserToken, false);
            }
        }

        private void deliverLate() {
            count("deliver-late");
            BankModel.Payment payment = undelivered.take(random);
            if (payment != null) {
                deliver(payment, false);
                delivered.add(payment);
            }
        }

        private void redeliverPayment() {
            count("deliver-again");
            BankModel.Payment payment = delivered.pick(random);
            if (payment != null) {
                deliver(payment, true);
            }
        }

        private void claim(BankModel.Payment payment, String token, boolean late) {
            count(late ? "claim-late" : "claim");
            Instant at = late ? payment.credit.claimableUntil().plusSeconds(1) : now();
            boolean revokedBefore = model.knownRevoked(token);
            try {
                ClaimResult result = store.claimCheckout(new CheckoutClaim(payment.credit.checkoutId(), token, at,
                        at.plus(CLAIM_WINDOW)));
                model.claimed(payment, token, late, result, revokedBefore);
            } catch (RuntimeException e) {
                unexpected("claim of " + payment.credit.checkoutId(), e);
            }
        }

        private void claimLate() {
            BankModel.Payment payment = checkouts.pick(random);
            if (payment != null) {
                claim(payment, payment.browserToken, random.nextInt(10) == 0);
            }
        }

        private void attackCheckout() {
            count("attack-claim");
            BankModel.Payment payment = checkouts.pick(random);
            if (payment == null) {
                return;
            }
            String token = switch (random.nextInt(3)) {
                case 0 -> liveTokenOf(randomDevice());
                case 1 -> TokenHashes.of(id("attacker"));
                default -> {
                    String revoked = revokedTokens.pick(random);
                    yield revoked == null ? TokenHashes.of(id("attacker")) : revoked;
                }
            };
            if (token.equals(payment.credit.tokenHash())) {
                return;
            }
            claim(payment, token, false);
        }

        private void charge() {
            count("charge");
            Device device = randomDevice();
            String stolen = random.nextInt(10) == 0 ? revokedTokens.pick(random) : null;
            String token = stolen != null ? stolen : liveTokenOf(device);
            Debit debit;
            if (random.nextInt(6) == 0 && !keyedCharges.isEmpty()) {
                count("charge-retried-key");
                Debit first = keyedCharges.get(random.nextInt(keyedCharges.size()));
                debit = new Debit(first.tokenHash(), first.amountCents(), first.allowNegativeBalance(),
                        first.idempotencyKey(), first.memo(), now());
            } else {
                boolean overdraft = random.nextInt(12) == 0;
                long amount = 1 + (random.nextInt(4) == 0 ? random.nextInt(6_000) : random.nextInt(400));
                String key = random.nextBoolean() ? id("key") : null;
                debit = new Debit(token, amount, overdraft, key, overdraft ? "overdraft" : "checked", now());
                if (key != null) {
                    keyedCharges.add(debit);
                }
            }
            boolean revokedBefore = model.knownRevoked(debit.tokenHash());
            try {
                ChargeResult result = store.charge(debit);
                if (debit.idempotencyKey() != null && result.outcome() == dev.stripeflare.ChargeOutcome.CHARGED) {
                    model.keyChargedAt.putIfAbsent(debit.idempotencyKey(), debit.at());
                }
                model.charged(new BankModel.ChargeCall(debit.tokenHash(), debit.amountCents(), debit.idempotencyKey(),
                        debit.allowNegativeBalance(), result), revokedBefore);
            } catch (RuntimeException e) {
                unexpected("charge " + debit.idempotencyKey(), e);
            }
        }

        private PaymentReversal newReversal(BankModel.Payment payment) {
            boolean dispute = random.nextBoolean();
            String operationId = id(dispute ? "dispute" : "refund");
            LedgerEntryKind kind = dispute ? LedgerEntryKind.DISPUTE : LedgerEntryKind.REFUND;
            if (random.nextInt(5) == 0) {
                long total = 2 + random.nextInt(19);
                return new PaymentReversal(operationId, payment.credit.paymentReference(), 1 + random.nextInt((int) total),
                        total, kind, null, now());
            }
            long amount = 1 + random.nextInt((int) Math.min(Integer.MAX_VALUE - 1, payment.credit.amountCents() * 13 / 10));
            return new PaymentReversal(operationId, payment.credit.paymentReference(), amount, 0, kind, null, now());
        }

        private void reverse() {
            count("reverse");
            BankModel.Payment payment = payments.pick(random);
            if (payment == null) {
                return;
            }
            BankModel.Reversal reversal = new BankModel.Reversal(newReversal(payment), payment);
            model.reversals.put(reversal.reversal.operationId(), reversal);
            apply(reversal, false, false);
            reversals.add(reversal);
        }

        private void apply(BankModel.Reversal reversal, boolean cancelledBefore, boolean redelivery) {
            try {
                model.reversed(reversal, store.reverse(reversal.reversal), cancelledBefore, redelivery);
            } catch (RuntimeException e) {
                unexpected("reversal " + reversal.reversal.operationId(), e);
            }
        }

        private void redeliverReversal() {
            count("reverse-again");
            BankModel.Reversal reversal = reversals.pick(random);
            if (reversal != null) {
                apply(reversal, false, true);
            }
        }

        private void restore(BankModel.Reversal reversal, String operationId) {
            LedgerEntryKind kind = reversal.reversal.kind() == LedgerEntryKind.DISPUTE
                    ? LedgerEntryKind.DISPUTE_WON : LedgerEntryKind.REFUND_FAILED;
            BankModel.Restoration restoration = new BankModel.Restoration(new PaymentRestoration(operationId,
                    reversal.reversal.operationId(), kind, null, now()));
            model.restorations.putIfAbsent(operationId, restoration);
            BankModel.Restoration recorded = model.restorations.get(operationId);
            model.restorationsByReversal.computeIfAbsent(reversal.reversal.operationId(),
                    r -> java.util.Collections.synchronizedList(new ArrayList<>())).add(recorded);
            try {
                model.restored(recorded, store.restore(recorded.restoration));
            } catch (RuntimeException e) {
                unexpected("restoration " + operationId, e);
            }
        }

        private void restore() {
            count("restore");
            BankModel.Reversal reversal = reversals.pick(random);
            if (reversal != null) {
                // The same Stripe event delivered again, or a second event about the same reversal.
                String operationId = random.nextInt(5) == 0 ? id("restore") : "restore:" + reversal.reversal.operationId();
                restore(reversal, operationId);
            }
        }

        private void cancelInAdvance() {
            count("restore-before-reversal");
            BankModel.Payment payment = payments.pick(random);
            if (payment == null) {
                return;
            }
            BankModel.Reversal reversal = new BankModel.Reversal(newReversal(payment), payment);
            model.reversals.put(reversal.reversal.operationId(), reversal);
            restore(reversal, "restore:" + reversal.reversal.operationId());
            apply(reversal, true, false);
        }

        private void rotate(Device device) {
            count("rotate");
            String oldToken = device.tokenHash.get();
            String newToken = TokenHashes.of(id("rotated"));
            try {
                if (store.rotateToken(oldToken, newToken)) {
                    model.rotated(oldToken, newToken);
                    revokedTokens.add(oldToken);
                    device.tokenHash.compareAndSet(oldToken, newToken);
                }
            } catch (RuntimeException e) {
                unexpected("rotation to a fresh token", e);
            }
        }

        private void rotateStaleOrOntoRevoked() {
            count("rotate-revoked");
            String revoked = revokedTokens.pick(random);
            if (revoked == null) {
                return;
            }
            if (random.nextBoolean()) {
                String fresh = TokenHashes.of(id("thief"));
                try {
                    if (store.rotateToken(revoked, fresh)) {
                        model.violation(Invariant.TOKENS, "a revoked token was rotated");
                        model.rotated(revoked, fresh);
                    }
                } catch (RuntimeException e) {
                    unexpected("rotation of a revoked token", e);
                }
                return;
            }
            String live = liveTokenOf(randomDevice());
            try {
                if (store.rotateToken(live, revoked)) {
                    model.violation(Invariant.TOKENS, "a token was rotated onto a revoked one");
                    model.rotated(live, revoked);
                }
            } catch (StoreException expected) {
                // The contract: a revoked hash is never used again.
            } catch (RuntimeException e) {
                unexpected("rotation onto a revoked token", e);
            }
        }

        private void delete() {
            count("delete");
            // Sometimes a visitor's account, whose token must then never open one again.
            String visitor = random.nextInt(4) == 0 ? visitorTokens.pick(random) : null;
            Long account = model.tokenAccounts.get(visitor != null ? visitor : randomDevice().tokenHash.get());
            if (account == null) {
                return;
            }
            try {
                if (store.deleteUser(account)) {
                    model.deletedAccounts.add(account);
                }
            } catch (RuntimeException e) {
                unexpected("deletion", e);
            }
        }

        /** A paid checkout no account can be credited with: kept once, a second record refused. */
        private void keepUnclaimed() {
            count("unclaimed");
            String checkoutId = "cs_" + id("unclaimed");
            UnclaimedPayment payment = UnclaimedPayment.received(checkoutId, "pi_" + checkoutId,
                    50 + random.nextInt(5_000), "usd", null,
                    UnclaimedPayment.Reason.values()[random.nextInt(UnclaimedPayment.Reason.values().length)], now());
            BankModel.Unclaimed kept = new BankModel.Unclaimed(payment);
            model.unclaimedByOperation.put(payment.operationId(), kept);
            try {
                if (!store.recordUnclaimed(payment)) {
                    model.violation(Invariant.MONEY_CONSERVED, "unclaimed payment " + checkoutId + " was not kept");
                }
                if (random.nextInt(4) == 0 && store.recordUnclaimed(payment)) {
                    model.violation(Invariant.APPLIED_AT_MOST_ONCE, "unclaimed payment " + checkoutId + " kept twice");
                }
            } catch (RuntimeException e) {
                unexpected("keeping an unclaimed payment", e);
            }
            unclaimed.add(kept);
        }

        /**
         * An operator assigns an unclaimed payment to a payer's account or marks it refunded, or
         * its checkout is delivered again as a credit (always a duplicate): racing each other.
         */
        private void resolveUnclaimed() {
            count("resolve-unclaimed");
            BankModel.Unclaimed kept = unclaimed.pick(random);
            if (kept == null) {
                return;
            }
            UnclaimedPayment payment = kept.payment;
            try {
                int choice = random.nextInt(5);
                if (choice == 0) {
                    model.resolvedUnclaimed(kept, store.markUnclaimedRefunded(payment.id(), "refunded", now()));
                } else if (choice == 1) {
                    String token = liveTokenOf(randomDevice());
                    CreditResult again = store.credit(new PaymentCredit(payment.operationId(), token,
                            payment.amountCents(), null, new PaymentProfile(null, null, null, null), null, null, null,
                            now()));
                    if (again.status() != CreditResult.Status.DUPLICATE) {
                        model.violation(Invariant.APPLIED_AT_MOST_ONCE, "credit under unclaimed payment "
                                + payment.id() + "'s operation id answered " + again);
                    }
                } else {
                    Long account = model.tokenAccounts.get(liveTokenOf(randomDevice()));
                    if (account == null) {
                        return;
                    }
                    model.resolvedUnclaimed(kept, store.assignUnclaimed(new UnclaimedAssignment(payment.id(), account,
                            null, null, now())));
                }
            } catch (RuntimeException e) {
                unexpected("resolving an unclaimed payment", e);
            }
        }

        /**
         * Prunes idempotency keys older than a few hundred operations, racing charges retried
         * under them (a retry after the prune charges again, as documented). Operation ids and
         * payments are not pruned here: this workload redelivers events of any age, which the
         * wallet refuses once they are older than the operation retention (ADR 30).
         */
        private void maintain() {
            count("maintain");
            Instant cutOff = now().minusMillis(300);
            model.keysPrunedBefore.accumulateAndGet(cutOff, (a, b) -> a.isAfter(b) ? a : b);
            try {
                dev.stripeflare.MaintenanceReport report = store.maintain(new dev.stripeflare.spi.MaintenanceRequest(
                        cutOff, T0, T0, 1 + random.nextInt(50)));
                if (report.operations() + report.payments() + report.checkouts() != 0
                        || !report.expiredDeferredReversals().isEmpty()) {
                    model.violation(Invariant.APPLIED_AT_MOST_ONCE, "maintenance removed what it was not asked to: "
                            + report);
                }
            } catch (RuntimeException e) {
                unexpected("maintenance", e);
            }
        }

        /** Rolls up every ledger's entries older than a few operations into an opening balance. */
        private void archive() {
            count("archive");
            try {
                store.archiveBefore(now().minusMillis(100), model::archivedOffer);
            } catch (RuntimeException e) {
                unexpected("archive", e);
            }
        }

        private void lookUp() {
            count("look-up");
            String token = random.nextBoolean() ? revokedTokens.pick(random) : liveTokenOf(randomDevice());
            if (token == null) {
                return;
            }
            boolean revokedBefore = model.knownRevoked(token);
            try {
                store.findByTokenHash(token).ifPresent(account -> {
                    if (revokedBefore) {
                        model.violation(Invariant.TOKENS, "revoked token opens account " + account.userId());
                    }
                    model.tokenOpens(token, account.userId(), "look-up");
                });
            } catch (RuntimeException e) {
                unexpected("look-up", e);
            }
            Long account = model.tokenAccounts.get(token);
            if (account != null) {
                new BankAudit(store, model).checkLedgerWhileRunning(account);
            }
        }

        // Adjustments and charges by user id (issue 13, ADR 32).
        private final List<Adjustment> adjustmentsMade = new ArrayList<>();

        /** A support correction of a random account, now and then the retry of an earlier one. */
        private void adjust() {
            count("adjust");
            Adjustment adjustment;
            if (random.nextInt(5) == 0 && !adjustmentsMade.isEmpty()) {
                count("adjust-retried");
                Adjustment first = adjustmentsMade.get(random.nextInt(adjustmentsMade.size()));
                adjustment = new Adjustment(first.userId(), first.amountCents(), first.allowNegativeBalance(),
                        first.reason(), first.operationId(), now());
            } else {
                Long account = model.tokenAccounts.get(liveTokenOf(randomDevice()));
                if (account == null) {
                    return;
                }
                boolean overdraft = random.nextInt(8) == 0;
                long cents = (random.nextBoolean() ? 1 : -1)
                        * (1 + (random.nextInt(2) == 0 ? random.nextInt(10_000) : random.nextInt(300)));
                adjustment = new Adjustment(account, cents, overdraft, overdraft ? "overdraft" : "checked",
                        id("adjust"), now());
                adjustmentsMade.add(adjustment);
            }
            try {
                model.adjusted(new BankModel.AdjustCall(adjustment, store.adjust(adjustment)));
            } catch (UnknownUserException e) {
                model.adjusted(new BankModel.AdjustCall(adjustment, null));
            } catch (RuntimeException e) {
                unexpected("adjustment " + adjustment.operationId(), e);
            }
        }

        /** A job's charge of a device's account by its id; a keyed one is sometimes redelivered. */
        private void chargeById() {
            count("charge-by-id");
            String token = liveTokenOf(randomDevice());
            Long account = model.tokenAccounts.get(token);
            if (account == null) {
                return;
            }
            boolean overdraft = random.nextInt(12) == 0;
            long amount = 1 + random.nextInt(400);
            String key = random.nextBoolean() ? id("key") : null;
            Debit debit = Debit.ofUser(account, amount, overdraft, key, overdraft ? "overdraft" : "checked", now());
            try {
                // Recorded under a token of the account, which the audit maps back to it.
                ChargeResult first = store.charge(debit);
                if (key != null && first.outcome() == dev.stripeflare.ChargeOutcome.CHARGED) {
                    // A maintenance step on another thread may forget the key before the
                    // redelivery below, as it may a key charged by token (RetentionContract).
                    model.keyChargedAt.putIfAbsent(key, debit.at());
                }
                model.charged(new BankModel.ChargeCall(token, amount, key, overdraft, first), false);
                if (key != null && random.nextInt(3) == 0) {
                    count("charge-by-id-redelivered");
                    model.charged(new BankModel.ChargeCall(token, amount, key, overdraft, store.charge(debit)), false);
                }
            } catch (RuntimeException e) {
                unexpected("charge by id " + key, e);
            }
        }

        /**
         * Free credit for a known account, expiring within a few seconds of the run's clock (so
         * charges, reads and sweeps meet expiries) or never; sometimes an operation id again.
         */
        private void grant() {
            count("grant");
            Long account = model.tokenAccounts.get(liveTokenOf(randomDevice()));
            BankGrants.Asked again = random.nextInt(5) == 0 ? grantsGiven.pick(random) : null;
            BankGrants.Asked asked = again != null ? again
                    : account == null ? null : new BankGrants.Asked(id("grant"), account, 1 + random.nextInt(500));
            if (asked == null) {
                return;
            }
            Instant at = now();
            Instant expiresAt = random.nextInt(3) == 0 ? null : at.plusMillis(1 + random.nextInt(3_000));
            try {
                model.grants.granted(model, asked, store.grant(new CreditGrant(asked.userId(), asked.cents(),
                        asked.operationId(), "bank", expiresAt, at)));
            } catch (RuntimeException e) {
                unexpected("grant " + asked.operationId(), e);
            }
            grantsGiven.add(asked);
        }

        private void voidGrant() {
            count("void-grant");
            BankGrants.Asked asked = grantsGiven.pick(random);
            if (asked == null) {
                return;
            }
            try {
                GrantChange result = store.voidGrant(new GrantVoid(asked.userId(), asked.operationId(), "bank", now()));
                if (result.status() == GrantChange.Status.APPLIED) {
                    model.grants.ended(model, asked.operationId(), result.cents());
                } else if (result.status() == GrantChange.Status.NOT_FOUND
                        && model.grants.applied.containsKey(asked.operationId())) {
                    model.violation(Invariant.GRANTS, "void of applied grant " + asked.operationId() + " answered "
                            + result);
                }
            } catch (RuntimeException e) {
                unexpected("void of grant " + asked.operationId(), e);
            }
        }

        private void expireGrants() {
            count("expire-grants");
            try {
                if (random.nextBoolean()) {
                    model.grants.expired(model, store.expireGrants(now()));
                } else {
                    Long account = model.tokenAccounts.get(liveTokenOf(randomDevice()));
                    if (account != null) {
                        model.grants.expired(model, store.expireGrants(account, now()));
                    }
                }
            } catch (RuntimeException e) {
                unexpected("expiring grants", e);
            }
        }
    
        /**
         * A visitor's first charge with allowances for visitors (ADR 33 addendum): open the
         * token's account, give the period's allowance under its operation id, charge. Tokens are
         * visitors' own (new, or again from a pool all threads share, so openings race), a revoked
         * one (must open nothing), or a malformed hash (must be refused, creating nothing).
         */
        private void openVisitor() {
            count("open-visitor");
            int kind = random.nextInt(10);
            if (kind == 0) {
                count("open-visitor-malformed");
                try {
                    store.openAccount("not-a-token-hash", now());
                    model.violation(Invariant.TOKENS, "openAccount accepted a malformed token hash");
                } catch (IllegalArgumentException expected) {
                    // refused, as it must be
                } catch (RuntimeException e) {
                    unexpected("opening a malformed hash", e);
                }
                return;
            }
            String revoked = kind == 1 ? revokedTokens.pick(random) : null;
            String token;
            if (revoked != null) {
                token = revoked;
            } else if (kind < 5 || (token = visitorTokens.pick(random)) == null) {
                token = TokenHashes.of(id("visitor"));
                visitorTokens.add(token);
            }
            boolean revokedBefore = model.knownRevoked(token);
            Instant at = now();
            try {
                dev.stripeflare.spi.OpenedAccount opened = store.openAccount(token, at);
                if (opened.opens()) {
                    if (revokedBefore) {
                        model.violation(Invariant.TOKENS, "openAccount revived revoked token " + token + " as account "
                                + opened.userId() + " (" + opened.status() + ")");
                        return;
                    }
                    model.tokenOpens(token, opened.userId(), "openAccount " + opened.status());
                    BankGrants.Asked allowance = new BankGrants.Asked(ALLOWANCE.operationId(opened.userId(), at),
                            opened.userId(), ALLOWANCE.cents());
                    model.grants.granted(model, allowance, store.grant(new CreditGrant(allowance.userId(),
                            allowance.cents(), allowance.operationId(), "allowance (day)", ALLOWANCE.periodEnd(at), at)));
                } else {
                    // The token must be revoked; the audit checks the store agrees.
                    model.mustBeRevoked.add(token);
                }
                long amount = 1 + random.nextInt(30);
                Debit debit = new Debit(token, amount, false, null, "visitor", now());
                boolean revokedBeforeCharge = model.knownRevoked(token);
                model.charged(new BankModel.ChargeCall(token, amount, null, false, store.charge(debit)),
                        revokedBeforeCharge);
            } catch (RuntimeException e) {
                unexpected("opening a visitor's account", e);
            }
        }

        // Holds (ADR 34): reserved on a device's token, sometimes under a key retried later;
        // captured at once, in steps, released, or left for another worker or the sweep.
        private final List<Object[]> holdKeys = new ArrayList<>();

        private void holdStep() {
            int dice = random.nextInt(10);
            if (dice < 6) {
                reserve();
            } else if (dice < 8) {
                Long holdId = openHolds.pick(random);
                if (holdId != null) {
                    capture(holdId, random.nextInt(700), random.nextBoolean());
                }
            } else if (dice < 9) {
                count("expire-holds");
                try {
                    store.expireHolds(now());
                } catch (RuntimeException e) {
                    unexpected("expiring holds", e);
                }
            } else {
                Long holdId = openHolds.pick(random);
                if (holdId != null) {
                    count("release");
                    try {
                        store.release(holdId, now());
                    } catch (RuntimeException e) {
                        unexpected("release of hold " + holdId, e);
                    }
                }
            }
        }

        private void reserve() {
            count("reserve");
            String token;
            String key;
            long amount;
            if (random.nextInt(6) == 0 && !holdKeys.isEmpty()) {
                count("reserve-retried-key");
                Object[] first = holdKeys.get(random.nextInt(holdKeys.size()));
                token = (String) first[0];
                key = (String) first[1];
                amount = (Long) first[2];
            } else {
                token = liveTokenOf(randomDevice());
                key = random.nextInt(3) == 0 ? id("hold-key") : null;
                amount = 1 + random.nextInt(600);
                if (key != null) {
                    holdKeys.add(new Object[] {token, key, amount});
                }
            }
            Instant at = now();
            HoldChange result;
            try {
                result = store.reserve(new Reservation(token, 0, amount, random.nextInt(10) == 0, key, "hold",
                        at.plusMillis(1 + random.nextInt(2_000)), at));
                model.holds.reserved(model, key, result);
            } catch (RuntimeException e) {
                unexpected("reservation " + key, e);
                return;
            }
            if (result.outcome() != dev.stripeflare.HoldOutcome.RESERVED) {
                return;
            }
            long holdId = result.hold().holdId();
            switch (random.nextInt(4)) {
                case 0 -> {
                    long total = random.nextInt((int) amount + 1);
                    capture(holdId, total, true);
                    if (random.nextInt(3) == 0) {
                        capture(holdId, total, true); // a retry: REPLAYED, nothing charged
                    }
                }
                case 1 -> {
                    long step = amount / 3;
                    capture(holdId, step, false);
                    capture(holdId, step, false);
                    capture(holdId, 2 * step, false);
                    capture(holdId, amount, true);
                }
                case 2 -> {
                    count("release");
                    try {
                        store.release(holdId, now());
                    } catch (RuntimeException e) {
                        unexpected("release of hold " + holdId, e);
                    }
                }
                default -> openHolds.add(holdId);
            }
        }

        private void capture(long holdId, long total, boolean close) {
            count(close ? "capture" : "capture-step");
            try {
                model.holds.captured(model, store.capture(new HoldCapture(holdId, total, close, now())));
            } catch (RuntimeException e) {
                unexpected("capture of hold " + holdId, e);
            }
        }
    }
}
