package dev.stripeflare.examples.spring;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The paid endpoint: an ordinary controller that prices its answer with an {@code X-Price}
 * header. No stripeflare annotation or call: the filter charges the price when the response
 * commits, and answers 402 with the payment link instead when the balance is too low.
 */
@RestController
public class FortuneController {
    /** What one fortune costs, in cents. */
    static final long PRICE_CENTS = 25;

    /** One fortune for 25 cents. */
    @GetMapping("/fortune")
    public ResponseEntity<String> fortune() {
        return ResponseEntity.ok()
                .header("X-Price", Long.toString(PRICE_CENTS))
                .body("A paid answer is worth waiting for.\n");
    }
}
