package dev.stripeflare.core;

import com.stripe.Stripe;
import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.model.Event;
import com.stripe.model.StripeObject;
import com.stripe.net.ApiResource;
import java.lang.System.Logger.Level;

/**
 * Reads a verified payload into stripe-java's {@link Event} and its {@code data.object} into the
 * model class the event type promises.
 *
 * <p><b>API versions.</b> stripe-java 33.3.0 is pinned to {@value Stripe#API_VERSION}. An event
 * rendered under another {@code api_version} (an endpoint or account still on an older default)
 * is still read, with {@code EventDataObjectDeserializer.deserializeUnsafe()}, and a warning is
 * logged that names the event and both versions. The few fields the wallet reads (ids, amounts,
 * currency, status, {@code client_reference_id}, {@code customer_details}) have kept their shape
 * across versions, and each one is checked where it is used: an object that does not read, or
 * lacks a field we need, is refused with {@code REJECTED_PAYLOAD} (HTTP 400), which Stripe shows
 * as a failed delivery and retries — never silently dropped.
 *
 * <p>Nothing from the payload reaches the log or an exception message: stripe-java's own parse
 * errors can quote the JSON, so they are replaced by messages that name only fields.
 * Thread-safe (stateless).
 */
final class StripeEventReader {
    private static final System.Logger LOG = System.getLogger(StripeWebhooks.class.getName());

    /**
     * The event envelope; {@code data.object} is not read yet (unknown event types may carry
     * objects we have no use for).
     *
     * @throws MalformedEventException if the payload is not a JSON event with an id and a type
     */
    Event read(String payload) {
        Event event;
        try {
            event = ApiResource.GSON.fromJson(payload, Event.class);
        } catch (RuntimeException notJsonOrWrongTypes) {
            throw new MalformedEventException("payload is not a Stripe event (" + describe(notJsonOrWrongTypes) + ")");
        }
        if (event == null || isBlank(event.getId()) || isBlank(event.getType())) {
            throw new MalformedEventException("payload is not a Stripe event (no id or type)");
        }
        return event;
    }

    /**
     * The event's {@code data.object} as {@code type}.
     *
     * @throws MalformedEventException if it is missing, does not read, or is another kind of object
     */
    <T extends StripeObject> T object(Event event, Class<T> type) {
        if (event.getData() == null) {
            throw new MalformedEventException("event " + event.getId() + " has no data.object");
        }
        if (!Stripe.API_VERSION.equals(event.getApiVersion())) {
            LOG.log(Level.WARNING, "Stripe event {0} ({1}) has api_version {2}, but stripe-java is pinned to {3};"
                    + " reading it anyway. Set the webhook endpoint''s API version to {3}.",
                    event.getId(), event.getType(), event.getApiVersion(), Stripe.API_VERSION);
        }
        StripeObject object;
        try {
            object = event.getDataObjectDeserializer().deserializeUnsafe();
        } catch (EventDataObjectDeserializationException | RuntimeException unreadable) {
            // A missing data.object surfaces here as a NullPointerException from stripe-java.
            throw new MalformedEventException("event " + event.getId() + ": data.object is not a readable "
                    + type.getSimpleName() + " (" + describe(unreadable) + ")");
        }
        if (!type.isInstance(object)) {
            throw new MalformedEventException("event " + event.getId() + ": data.object is not a "
                    + type.getSimpleName());
        }
        return type.cast(object);
    }

    private static String describe(Exception e) {
        // The class only: messages of Gson and stripe-java can quote the payload.
        return e.getClass().getSimpleName();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
