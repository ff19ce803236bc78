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
 * Runs the application's handler with its response held back, then charges its
 * {@code X-Price} before anything reaches the client:
 * <ul>
 *   <li>no price, or a 4xx/5xx status: nothing is charged and the response goes out as is;</li>
 *   <li>charged (or replayed under the same idempotency key): the response goes out with
 *       {@code X-Price}, the new {@code X-Balance} and a {@code Server-Timing} entry saying how
 *       long the charge took;</li>
 *   <li>not charged (balance too low, not registered): the handler's response is discarded and
 *       402 Payment Required goes out instead;</li>
 *   <li>a malformed {@code X-Price} (500), an idempotency key reused for another amount (409) or
 *       a failing store (503): the handler's response is discarded, nothing is charged.</li>
 * </ul>
 */
final class PaidRequests {
    private static final System.Logger LOG = System.getLogger(StripeflareFilter.class.getName());
    private static final int MAX_MEMO = 200;

    private final WalletHeaders headers;

    PaidRequests(WalletHeaders headers) {
        this.headers = headers;
    }

    void run(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
             StripeflareSession session, Optional<String> idempotencyKey) throws IOException, ServletException {
        BufferedResponse buffered = new BufferedResponse(response);
        chain.doFilter(request, buffered);
        if (response.isCommitted()) {
            // Only possible if the application unwrapped the response: we can no longer answer
            // 402 or say the balance, so we charge nothing rather than charge blindly.
            if (buffered.price() != null) {
                LOG.log(System.Logger.Level.WARNING, "X-Price ignored: the response was committed before it could be charged");
            }
            return;
        }
        OptionalLong price;
        try {
            price = Price.parse(buffered.price());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "the application set a malformed X-Price; nothing charged");
            replace(request, response, buffered, session);
            Answers.error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "The application set a malformed X-Price");
            return;
        }
        if (price.isPresent() && buffered.finalStatus() < 400) {
            ChargeResult result;
            long started = System.nanoTime();
            try {
                result = session.charge(chargeRequest(request, session, price.getAsLong(), idempotencyKey));
            } catch (IdempotencyKeyReusedException e) {
                replace(request, response, buffered, session);
                Answers.error(response, HttpServletResponse.SC_CONFLICT,
                        "This Idempotency-Key was already used for a different price");
                return;
            } catch (StripeflareException e) {
                LOG.log(System.Logger.Level.ERROR, "X-Price charge failed: " + e.getClass().getName());
                replace(request, response, buffered, session);
                Answers.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Could not charge; try again");
                return;
            }
            if (!result.charged()) {
                replace(request, response, buffered, session);
                PaymentRequired.send(response, session.paymentLink(), session.balanceCents(), result.message());
                return;
            }
            response.setHeader(BufferedResponse.PRICE_HEADER, Long.toString(price.getAsLong()));
            response.addHeader("Server-Timing", String.format(Locale.ROOT, "%s;dur=%.3f",
                    StripeflareFilter.CHARGE_TIMING_METRIC, (System.nanoTime() - started) / 1e6));
        }
        headers.set(request, response, session.accessToken(), session.balanceCents(), session.paymentLink());
        buffered.commit();
    }

    private static ChargeRequest chargeRequest(HttpServletRequest request, StripeflareSession session, long cents,
                                               Optional<String> idempotencyKey) {
        String memo = request.getMethod() + " " + request.getRequestURI();
        ChargeRequest charge = ChargeRequest.of(session.accessToken(), cents)
                .withMemo(memo.length() > MAX_MEMO ? memo.substring(0, MAX_MEMO) : memo);
        return idempotencyKey.map(charge::withIdempotencyKey).orElse(charge);
    }

    /** Drops everything the handler produced, keeping only the wallet headers. */
    private void replace(HttpServletRequest request, HttpServletResponse response, BufferedResponse buffered,
                         StripeflareSession session) {
        buffered.discard();
        response.reset();
        headers.set(request, response, session.accessToken(), session.balanceCents(), session.paymentLink());
    }
}
