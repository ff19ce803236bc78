package dev.stripeflare.core;

import dev.stripeflare.event.WalletListener;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Delivers events to the wallet's listeners, after the store step they report committed (the
 * callers raise them only once the store call returned). A listener that throws is logged at
 * WARNING and the others still hear the event; nothing it does can undo the committed change.
 * Without listeners every method returns at once and builds no event. Thread-safe (immutable).
 */
final class WalletEvents {
    private static final System.Logger LOG = System.getLogger(WalletEvents.class.getName());
    private static final WalletEvents NONE = new WalletEvents(List.of(), Optional.empty());

    private final List<WalletListener> listeners;
    private final Optional<Executor> executor;

    private WalletEvents(List<WalletListener> listeners, Optional<Executor> executor) {
        this.listeners = List.copyOf(listeners);
        this.executor = executor;
    }

    /** Delivery to {@code listeners}, on {@code executor} when present, else on the caller's thread. */
    static WalletEvents of(List<WalletListener> listeners, Optional<Executor> executor) {
        return listeners.isEmpty() ? NONE : new WalletEvents(listeners, executor);
    }

    /** No listeners: nothing is ever built or delivered. */
    static WalletEvents none() {
        return NONE;
    }

    /** Whether anyone listens; callers skip building an event when no one does. */
    boolean active() {
        return !listeners.isEmpty();
    }

    /** Delivers one event, {@code what} naming it in a log line if a listener fails. */
    void deliver(String what, Consumer<WalletListener> call) {
        if (listeners.isEmpty()) {
            return;
        }
        if (executor.isEmpty()) {
            deliverNow(what, call);
            return;
        }
        try {
            executor.get().execute(() -> deliverNow(what, call));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "Wallet listener executor refused the {0} event; it was not delivered", what);
        }
    }

    private void deliverNow(String what, Consumer<WalletListener> call) {
        for (WalletListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError fatal) {
                    throw fatal;
                }
                LOG.log(Level.WARNING, "Wallet listener " + listener.getClass().getName() + " failed on the " + what
                        + " event; the change it reports stays committed", e);
            }
        }
    }
}
