package dev.stripeflare.core;

/**
 * A correctly signed event whose content cannot be applied: malformed JSON, a missing
 * {@code data.object}, a field of the wrong type, or a required field missing. The message is
 * safe to log and to answer with: it names fields, never their values.
 */
final class MalformedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedEventException(String message) {
        super(message, null, false, false);
    }

    /** {@code value}, or a {@code MalformedEventException} naming the missing {@code field}. */
    static <T> T require(T value, String field) {
        if (value == null) {
            throw new MalformedEventException("event lacks " + field);
        }
        return value;
    }
}
