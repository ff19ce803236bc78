package dev.stripeflare.servlet;

import dev.stripeflare.ChargeRequest;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.StripeflareException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Runs the application's handler behind a {@link ChargingResponse} and settles its
 * {@code X-Price} at the moment the response commits (ADR 20):
 * <ul>
 *   <li>no price, or a response {@link ChargeRule} does not charge: nothing is charged and the
 *       response goes out as is;</li>
 *   <li>charged (or replayed under the same idempotency key): the response goes out with
 *       {@code X-Price}, the new {@code X-Balance} and a {@code Server-Timing} entry saying how
 *       long the charge took;</li>
 *   <li>not charged (balance too low, not registered): nothing of the handler's response has
 *       left; 402 Payment Required goes out instead;</li>
 *   <li>a malformed or doubled {@code X-Price} (500, logged), an idempotency key reused for another
 *       amount (409) or a failing store (503): nothing is charged and the handler's response is
 *       replaced.</li>
 * </ul>
 * An asynchronous handler's response is settled when it commits or when its async context
 * completes ({@link AsyncChargingRequest}).
 */
final class PaidRequests {
    private static final System.Logger LOG = System.getLogger(StripeflareFilter.class.getName());
    private static final int MAX_MEMO = 200;

    private final WalletHeaders headers;
    private final int bufferBytes;

    PaidRequests(WalletHeaders headers, int bufferBytes) {
        this.headers = headers;
        this.bufferBytes = bufferBytes;
    }

    void run(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
             StripeflareSession session, TokenDelivery delivery, Optional<String> idempotencyKey)
            throws IOException, ServletException {
        ChargingResponse charging = new ChargingResponse(response, bufferBytes, "HEAD".equals(request.getMethod()),
                (held, status, sentAsError) -> decide(request, held, status, sentAsError, session, delivery,
                        idempotencyKey));
        AsyncChargingRequest wrapped = new AsyncChargingRequest(request, charging);
        request.setAttribute(ChargingResponse.ATTRIBUTE, charging);
        chain.doFilter(wrapped, charging);
        if (!wrapped.isAsyncStarted()) {
            charging.finish();
        }
    }

    /**
     * An {@code ASYNC} dispatch of a request this filter is charging (the filter must be mapped to
     * {@code DispatcherType.ASYNC} for that): runs it, then settles the response unless it went
     * asynchronous again.
     */
    static void resume(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
        if (request.getAttribute(ChargingResponse.ATTRIBUTE) instanceof ChargingResponse charging
                && !request.isAsyncStarted()) {
            charging.finish();
        }
    }

    private boolean decide(HttpServletRequest request, ChargingResponse held, int status, boolean sentAsError,
                           StripeflareSession session, TokenDelivery delivery, Optional<String> idempotencyKey)
            throws IOException {
        HttpServletResponse response = held.real();
        if (held.priceHeaders() > 1) {
            LOG.log(System.Logger.Level.WARNING, "the application set " + held.priceHeaders()
                    + " X-Price headers on " + request.getMethod() + " " + request.getRequestURI() + "; nothing charged");
            replace(request, response, session, delivery);
            Answers.error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "The application set more than one X-Price");
            return false;
        }
        OptionalLong price;
        try {
            price = Price.parse(held.price());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "the application set a malformed X-Price; nothing charged");
            replace(request, response, session, delivery);
            Answers.error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "The application set a malformed X-Price");
            return false;
        }
        if (price.isPresent() && ChargeRule.chargeable(request.getMethod(), status, sentAsError)) {
            ChargeResult result;
            long started = System.nanoTime();
            try {
                result = session.charge(chargeRequest(request, session, price.getAsLong(), idempotencyKey));
            } catch (IdempotencyKeyReusedException e) {
                replace(request, response, session, delivery);
                Answers.error(response, HttpServletResponse.SC_CONFLICT,
                        "This Idempotency-Key was already used for a different price");
                return false;
            } catch (StripeflareException e) {
                LOG.log(System.Logger.Level.ERROR, "X-Price charge failed: " + e.getClass().getName());
                replace(request, response, session, delivery);
                Answers.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Could not charge; try again");
                return false;
            }
            if (!result.charged()) {
                replace(request, response, session, delivery);
                if (delivery.held()) {
                    PaymentRequired.send(response, session.paymentLink(), session.balanceCents(), result.message());
                } else {
                    PaymentRequired.sendWithoutLink(response, session.balanceCents(), result.message());
                }
                return false;
            }
            response.setHeader(ChargingResponse.PRICE_HEADER, Long.toString(price.getAsLong()));
            response.addHeader("Server-Timing", String.format(Locale.ROOT, "%s;dur=%.3f",
                    StripeflareFilter.CHARGE_TIMING_METRIC, (System.nanoTime() - started) / 1e6));
        }
        headers.set(request, response, delivery, session.balanceCents(), session.paymentLink());
        return true;
    }

    private static ChargeRequest chargeRequest(HttpServletRequest request, StripeflareSession session, long cents,
                                               Optional<String> idempotencyKey) {
        String memo = request.getMethod() + " " + request.getRequestURI();
        ChargeRequest charge = ChargeRequest.of(session.accessToken(), cents)
                .withMemo(memo.length() > MAX_MEMO ? memo.substring(0, MAX_MEMO) : memo);
        return idempotencyKey.map(charge::withIdempotencyKey).orElse(charge);
    }

    /** Drops everything the handler set, keeping only the wallet headers. */
    private void replace(HttpServletRequest request, HttpServletResponse response, StripeflareSession session,
                         TokenDelivery delivery) {
        response.reset();
        headers.set(request, response, delivery, session.balanceCents(), session.paymentLink());
    }
}
