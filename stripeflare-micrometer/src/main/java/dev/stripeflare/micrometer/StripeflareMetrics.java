package dev.stripeflare.micrometer;

import dev.stripeflare.ChargeOutcome;
import dev.stripeflare.LedgerEntryKind;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.event.CreditedEvent;
import dev.stripeflare.event.GrantedEvent;
import dev.stripeflare.event.RestoredEvent;
import dev.stripeflare.event.ReversedEvent;
import dev.stripeflare.event.UnclaimedPaymentEvent;
import dev.stripeflare.event.WalletListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one wallet, and the listener that feeds its money meters. Register it on the
 * wallet's builder ({@code listener(metrics)}) for credits, reversals and restorations, wrap the
 * wallet in a {@link MeteredWallet} for charges, webhook deliveries and store errors, and bind it
 * to a registry ({@link #bindTo}; Spring Boot binds every {@link MeterBinder} bean itself).
 *
 * <p>Meters (names and tags follow Micrometer's conventions; no user id, token, payment id or
 * amount is ever a tag, so the number of time series is fixed):
 * <ul>
 *   <li>{@value #CHARGES} (counter: a {@code FunctionCounter} reading the timer's count), tag {@code outcome} = {@code charged}, {@code insufficient_balance},
 *       {@code not_registered}, {@code replayed} (the {@link ChargeOutcome} in lower case), or {@code error}
 *       when the charge threw;</li>
 *   <li>{@value #CHARGE_DURATION} (timer, same {@code outcome} tag): how long a charge took. No
 *       percentiles or histogram unless asked for with a {@code MeterFilter} (in Spring Boot:
 *       {@code management.metrics.distribution.percentiles.stripeflare.charge.duration=0.99});</li>
 *   <li>{@value #WEBHOOKS} (counter), tag {@code outcome} = the {@link WebhookOutcome} in lower case, or
 *       {@code error};</li>
 *   <li>{@value #CREDITS} (counter, base unit cents): money credited by payments;</li>
 *   <li>{@value #REVERSALS} and {@value #RESTORATIONS} (counters, cents), tag {@code kind} = {@code refund} / {@code dispute}
 *       and {@code refund_failed} / {@code dispute_won}: money taken back, and given back again;</li>
 *   <li>{@value #GRANTS} (counter, cents): free credit granted;</li>
 *   <li>{@value #UNCLAIMED} (counter): payments kept as unclaimed;</li>
 *   <li>{@value #STORE_ERRORS} (counter), tag {@code operation} = the wallet method that failed.</li>
 * </ul>
 *
 * <p>Until it is bound it records nothing. Bound to several registries, it records to each. Thread-safe; recording never blocks and never throws into the wallet.
 */
public final class StripeflareMetrics implements MeterBinder, WalletListener {
    /** Counter of charges by outcome. */
    public static final String CHARGES = "stripeflare.charges";
    /** Timer of charges by outcome. */
    public static final String CHARGE_DURATION = "stripeflare.charge.duration";
    /** Counter of webhook deliveries by outcome. */
    public static final String WEBHOOKS = "stripeflare.webhooks";
    /** Counter of cents credited by payments. */
    public static final String CREDITS = "stripeflare.credits";
    /** Counter of cents taken back by refunds and disputes, by kind. */
    public static final String REVERSALS = "stripeflare.reversals";
    /** Counter of cents given back by failed refunds and won disputes, by kind. */
    public static final String RESTORATIONS = "stripeflare.restorations";
    /** Counter of cents of free credit granted. */
    public static final String GRANTS = "stripeflare.grants";
    /** Counter of payments kept as unclaimed. */
    public static final String UNCLAIMED = "stripeflare.unclaimed.payments";
    /** Counter of store failures by wallet operation. */
    public static final String STORE_ERRORS = "stripeflare.store.errors";

    private final List<MeterRegistry> registries = new ArrayList<>();
    /** The meters of each bound registry; none until bound. Replaced, never changed. */
    private volatile Meters[] meters = new Meters[0];

    /** Unbound metrics: they record nothing until {@link #bindTo} is called. */
    public StripeflareMetrics() {
    }

    /**
     * Metrics already bound to {@code registry}.
     *
     * @param registry where to register the meters
     * @return the bound metrics
     */
    public static StripeflareMetrics boundTo(MeterRegistry registry) {
        StripeflareMetrics metrics = new StripeflareMetrics();
        metrics.bindTo(registry);
        return metrics;
    }

    /** Registers every meter on {@code registry}; from now on they record there (too). */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (registries.contains(registry)) {
            return;
        }
        registries.add(registry);
        Meters[] bound = Arrays.copyOf(meters, meters.length + 1);
        bound[bound.length - 1] = new Meters(registry);
        meters = bound;
    }

    /**
     * Records one charge that ended with {@code outcome} after {@code nanos}.
     *
     * @param outcome how the charge ended
     * @param nanos   how long it took, in nanoseconds
     */
    public void recordCharge(ChargeOutcome outcome, long nanos) {
        for (Meters each : meters) {
            each.charge(outcome.ordinal(), nanos);
        }
    }

    /**
     * Records one charge that threw after {@code nanos}.
     *
     * @param nanos how long it took, in nanoseconds
     */
    public void recordChargeError(long nanos) {
        for (Meters each : meters) {
            each.charge(Meters.ERROR, nanos);
        }
    }

    /**
     * Records one webhook delivery that ended with {@code outcome}.
     *
     * @param outcome how the delivery ended
     */
    public void recordWebhook(WebhookOutcome outcome) {
        for (Meters each : meters) {
            each.webhooks[outcome.ordinal()].increment();
        }
    }

    /** Records one webhook delivery that threw. */
    public void recordWebhookError() {
        for (Meters each : meters) {
            each.webhooks[Meters.WEBHOOK_ERROR].increment();
        }
    }

    /**
     * Records one store failure seen by the wallet operation {@code operation}.
     *
     * @param operation the wallet operation that saw it
     */
    public void recordStoreError(StoreOperation operation) {
        for (Meters each : meters) {
            each.storeErrors[operation.ordinal()].increment();
        }
    }

    @Override
    public void onCredited(CreditedEvent event) {
        for (Meters each : meters) {
            each.credits.increment(event.amountCents());
        }
    }

    @Override
    public void onReversed(ReversedEvent event) {
        for (Meters each : meters) {
            each.reversal(event.kind()).increment(event.takenCents());
        }
    }

    @Override
    public void onRestored(RestoredEvent event) {
        for (Meters each : meters) {
            each.restoration(event.kind()).increment(event.amountCents());
        }
    }

    @Override
    public void onGranted(GrantedEvent event) {
        for (Meters each : meters) {
            each.grants.increment(event.amountCents());
        }
    }

    @Override
    public void onUnclaimedPayment(UnclaimedPaymentEvent event) {
        for (Meters each : meters) {
            each.unclaimed.increment();
        }
    }

    /** The wallet operations whose store failures are counted, as the {@code operation} tag. */
    public enum StoreOperation {
        /** {@code session}, {@code lookupUser}, {@code paymentLink}. */
        SESSION,
        /** {@code charge}, {@code chargeUser}, and the hold steps {@code reserve}, {@code capture}, {@code release}. */
        CHARGE,
        /** {@code handleWebhookPayload}. */
        WEBHOOK,
        /** {@code completeCheckout}. */
        CHECKOUT,
        /** {@code rotateToken}. */
        ROTATE_TOKEN,
        /** {@code ledger}, {@code findUser}, {@code grants}, {@code unclaimedPayments}. */
        READ,
        /** Operator operations: adjustments, grants, deletions, unclaimed payments, maintenance. */
        OPERATOR;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Every meter on one registry, resolved once so recording is an array index. */
    private static final class Meters {
        static final int ERROR = ChargeOutcome.values().length;
        static final int WEBHOOK_ERROR = WebhookOutcome.values().length;

        final Timer[] durations = new Timer[ERROR + 1];
        final Counter[] webhooks =
                new Counter[WEBHOOK_ERROR + 1];
        final Counter credits;
        final Counter grants;
        final Counter unclaimed;
        final MeterRegistry registry;
        final Counter[] storeErrors =
                new Counter[StoreOperation.values().length];

        Meters(MeterRegistry registry) {
            for (int i = 0; i <= ERROR; i++) {
                String outcome = i == ERROR ? "error" : tag(ChargeOutcome.values()[i]);
                durations[i] = Timer.builder(CHARGE_DURATION)
                        .description("How long a charge took, by outcome").tag("outcome", outcome).register(registry);
                // The counter reads the timer's count: one meter update per charge, not two.
                FunctionCounter.builder(CHARGES, durations[i], Timer::count)
                        .description("Charges by outcome").tag("outcome", outcome).register(registry);
            }
            for (int i = 0; i <= WEBHOOK_ERROR; i++) {
                String outcome = i == WEBHOOK_ERROR ? "error" : tag(WebhookOutcome.values()[i]);
                webhooks[i] = Counter.builder(WEBHOOKS)
                        .description("Stripe webhook deliveries by outcome").tag("outcome", outcome)
                        .register(registry);
            }
            credits = cents(CREDITS, "Cents credited by payments", registry);
            grants = cents(GRANTS, "Cents of free credit granted", registry);
            unclaimed = Counter.builder(UNCLAIMED)
                    .description("Payments kept as unclaimed").register(registry);
            this.registry = registry;
            reversal(LedgerEntryKind.REFUND);
            reversal(LedgerEntryKind.DISPUTE);
            restoration(LedgerEntryKind.REFUND_FAILED);
            restoration(LedgerEntryKind.DISPUTE_WON);
            for (StoreOperation operation : StoreOperation.values()) {
                storeErrors[operation.ordinal()] = Counter.builder(STORE_ERRORS)
                        .description("Store failures seen by wallet operations").tag("operation", operation.tag())
                        .register(registry);
            }
        }

        /** Rare events look their counter up: the registry returns the one registered first. */
        Counter reversal(LedgerEntryKind kind) {
            return Counter.builder(REVERSALS).description("Cents taken back by refunds and disputes")
                    .baseUnit("cents").tag("kind", tag(kind)).register(registry);
        }

        Counter restoration(LedgerEntryKind kind) {
            return Counter.builder(RESTORATIONS).description("Cents given back by failed refunds and won disputes")
                    .baseUnit("cents").tag("kind", tag(kind)).register(registry);
        }

        void charge(int index, long nanos) {
            durations[index].record(nanos, TimeUnit.NANOSECONDS);
        }

        private static Counter cents(String name, String description,
                                                                   MeterRegistry registry) {
            return Counter.builder(name).description(description).baseUnit("cents")
                    .register(registry);
        }

        private static String tag(Enum<?> value) {
            return value.name().toLowerCase(Locale.ROOT);
        }
    }
}
