package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.spi.CreditResult;
import dev.stripeflare.spi.PaymentCredit;
import dev.stripeflare.spi.PaymentProfile;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /checkout-return?session_id=…} over real HTTP on Jetty: the browser that paid comes
 * back from Stripe's checkout with its cookie and is logged in to the account its payment went to
 * (issue 9 item 3), whichever of the return and the credit comes first; every other browser, and
 * every malformed request, gets nothing. The credit is written straight into the store as the
 * webhook would write it (the webhook itself is core's and tested there).
 */
class CheckoutReturnTest {
    private static final Instant PAID_AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant CLAIMABLE_UNTIL = Instant.parse("2100-01-01T00:00:00Z");

    private JettyHarness harness;

    private void start(FilterSettings settings) throws Exception {
        harness = new JettyHarness(settings);
    }

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    /** A browser of its own: a cookie jar, and the token the filter gave it on a first visit. */
    private final class Browser {
        final CookieManager jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        final HttpClient client = HttpClient.newBuilder().cookieHandler(jar).build();

        String visit() throws Exception {
            assertThat(get("/free").statusCode()).isEqualTo(200);
            return token();
        }

        String token() {
            List<HttpCookie> cookies = jar.getCookieStore().getCookies();
            return cookies.stream().filter(c -> c.getName().equals("access_token")).findFirst().orElseThrow().getValue();
        }

        HttpResponse<String> get(String path) throws Exception {
            return client.send(HttpRequest.newBuilder(harness.base.resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The webhook's credit of checkout {@code checkoutId}, paid on {@code token}'s link with {@code card}. */
    private CreditResult credit(String token, String checkoutId, String card) {
        return harness.store.credit(new PaymentCredit("checkout:" + checkoutId, JettyHarness.tokenHash(token), 300,
                "pi_" + checkoutId, new PaymentProfile("Ada", "ada@example.com", null, card), checkoutId,
                CLAIMABLE_UNTIL, null, PAID_AT));
    }

    private String cardOf(String token) {
        return harness.wallet.lookupUser(token).orElseThrow().cardFingerprint().orElseThrow();
    }

    @Test
    void aSecondBrowserReturningAfterItsPaymentIsLoggedInAndSentToTheLandingPage() throws Exception {
        start(FilterSettings.development());
        String laptop = harness.registeredUser(500);
        Browser phone = new Browser();
        String phoneToken = phone.visit();
        assertThat(credit(phoneToken, "cs_test_phone1", cardOf(laptop)).account()).isEqualTo(CreditResult.Account.IDENTIFIED);
        assertThat(phone.get("/whoami").body()).contains("registered=false");

        HttpResponse<String> returned = phone.get("/checkout-return?session_id=cs_test_phone1");

        assertThat(returned.statusCode()).isEqualTo(303);
        assertThat(returned.headers().firstValue("Location")).hasValue("/?checkout=linked");
        assertThat(returned.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(returned.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(returned.headers().firstValue("X-Balance")).hasValue("800");
        assertThat(phone.token()).as("the browser keeps its own cookie").isEqualTo(phoneToken);
        assertThat(phone.get("/whoami").body()).contains("registered=true balance=800");
        assertThat(harness.wallet.lookupUser(phoneToken).orElseThrow().userId())
                .isEqualTo(harness.wallet.lookupUser(laptop).orElseThrow().userId());

        assertThat(phone.get("/checkout-return?session_id=cs_test_phone1").headers().firstValue("Location"))
                .hasValue("/?checkout=already_linked");
    }

    @Test
    void aBrowserReturningBeforeThePaymentIsLoggedInByTheCredit() throws Exception {
        start(FilterSettings.development());
        String laptop = harness.registeredUser(500);
        Browser phone = new Browser();
        String phoneToken = phone.visit();

        HttpResponse<String> early = phone.get("/checkout-return?session_id=cs_test_phone2");

        assertThat(early.statusCode()).isEqualTo(303);
        assertThat(early.headers().firstValue("Location")).hasValue("/?checkout=pending");
        assertThat(phone.get("/whoami").body()).contains("registered=false");
        assertThat(credit(phoneToken, "cs_test_phone2", cardOf(laptop)).account()).isEqualTo(CreditResult.Account.LINKED);
        assertThat(phone.get("/whoami").body()).contains("registered=true balance=800");
    }

    @Test
    void aFirstPaymentsBrowserLandsAlreadyLinked() throws Exception {
        start(FilterSettings.development());
        Browser laptop = new Browser();
        String token = laptop.visit();
        assertThat(credit(token, "cs_test_first", "fp_new").account()).isEqualTo(CreditResult.Account.CREATED);

        HttpResponse<String> returned = laptop.get("/checkout-return?session_id=cs_test_first");

        assertThat(returned.headers().firstValue("Location")).hasValue("/?checkout=already_linked");
        assertThat(returned.headers().firstValue("X-Balance")).hasValue("300");
    }

    @Test
    void anotherBrowserPresentingTheSessionIdGetsNothingAndTheRightBrowserStillCan() throws Exception {
        start(FilterSettings.development());
        String victim = harness.registeredUser(500);
        Browser payer = new Browser();
        String payerToken = payer.visit();
        credit(payerToken, "cs_test_leaked", cardOf(victim));
        Browser stranger = new Browser();
        stranger.visit();
        Browser cookieless = new Browser();

        HttpResponse<String> strangers = stranger.get("/checkout-return?session_id=cs_test_leaked");
        HttpResponse<String> cookielesss = cookieless.get("/checkout-return?session_id=cs_test_leaked");

        assertThat(strangers.headers().firstValue("Location")).hasValue("/?checkout=refused");
        assertThat(cookielesss.statusCode()).isEqualTo(303);
        assertThat(cookielesss.headers().firstValue("Location")).hasValue("/?checkout=refused");
        assertThat(stranger.get("/whoami").body()).contains("registered=false");
        assertThat(harness.wallet.lookupUser(cookieless.token())).as("the fresh cookie opens nothing").isEmpty();
        assertThat(payer.get("/checkout-return?session_id=cs_test_leaked").headers().firstValue("Location"))
                .hasValue("/?checkout=linked");
        assertThat(stranger.get("/whoami").body()).contains("registered=false");
        assertThat(harness.balance(victim)).isEqualTo(800);
    }

    @Test
    void malformedMissingOrRepeatedSessionIdsAndOtherMethodsAreRefusedAndChangeNothing() throws Exception {
        start(FilterSettings.development());
        String victim = harness.registeredUser(500);
        Browser payer = new Browser();
        String payerToken = payer.visit();
        credit(payerToken, "cs_test_real", cardOf(victim));

        for (String query : new String[] {"", "?session_id=", "?session_id=pi_123", "?session_id=cs_test_real%0A",
                "?session_id=cs_test-real", "?session_id=cs_" + "a".repeat(251),
                "?session_id=cs_test_real&session_id=cs_test_real", "?session_id=%00"}) {
            HttpResponse<String> response = payer.get("/checkout-return" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.body()).as(query).startsWith("{\"error\":").doesNotContain("cs_test");
        }
        HttpResponse<String> posted = payer.client.send(HttpRequest.newBuilder(
                harness.base.resolve("/checkout-return?session_id=cs_test_real"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(405);
        assertThat(posted.headers().firstValue("Allow")).hasValue("GET");
        assertThat(payer.get("/whoami").body()).contains("registered=false");

        assertThat(payer.get("/checkout-return?session_id=cs_test_real").headers().firstValue("Location"))
                .hasValue("/?checkout=linked");
    }

    @Test
    void aFailingStoreAnswers503AndTheReturnCanBeRetried() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean(true);
        harness = new JettyHarness(FilterSettings.development(), real -> new ForwardingWallet(real) {
            @Override
            public dev.stripeflare.CheckoutResult completeCheckout(String accessToken, String checkoutSessionId) {
                if (failing.get()) {
                    throw new dev.stripeflare.StoreException("disk on fire");
                }
                return super.completeCheckout(accessToken, checkoutSessionId);
            }
        });
        String laptop = harness.registeredUser(500);
        Browser phone = new Browser();
        credit(phone.visit(), "cs_test_retry", cardOf(laptop));

        HttpResponse<String> failed = phone.get("/checkout-return?session_id=cs_test_retry");

        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.body()).startsWith("{\"error\":").doesNotContain("disk on fire");
        assertThat(phone.get("/whoami").body()).contains("registered=false");
        failing.set(false);
        assertThat(phone.get("/checkout-return?session_id=cs_test_retry").headers().firstValue("Location"))
                .hasValue("/?checkout=linked");
    }

    @Test
    void thePrefixAndTheLandingPathAreHonoured() throws Exception {
        start(FilterSettings.development().withPathPrefix("/wallet").withCheckoutLandingPath("/account?tab=wallet"));
        String laptop = harness.registeredUser(500);
        Browser phone = new Browser();
        credit(phone.visit(), "cs_test_prefixed", cardOf(laptop));

        assertThat(phone.get("/checkout-return?session_id=cs_test_prefixed").statusCode())
                .as("not an endpoint without the prefix: the application's 404").isEqualTo(404);
        HttpResponse<String> returned = phone.get("/wallet/checkout-return?session_id=cs_test_prefixed");

        assertThat(returned.statusCode()).isEqualTo(303);
        assertThat(returned.headers().firstValue("Location")).hasValue("/account?tab=wallet&checkout=linked");
    }

    /**
     * The same browser's return arrives 4 times at once (reloads, a double redirect) while 4
     * strangers present the same session id: exactly one LINKED, the rest ALREADY_LINKED for the
     * payer and REFUSED for the strangers, who open nothing.
     */
    @Test
    void concurrentReturnsLinkThePayingBrowserOnceAndNoStranger() throws Exception {
        start(FilterSettings.development());
        String laptop = harness.registeredUser(500);
        Browser payer = new Browser();
        credit(payer.visit(), "cs_test_race", cardOf(laptop));
        List<Browser> strangers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Browser stranger = new Browser();
            stranger.visit();
            strangers.add(stranger);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> futures = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < 8; t++) {
                Browser browser = t < 4 ? payer : strangers.get(t - 4);
                futures.add(pool.submit(() -> {
                    start.await();
                    return browser.get("/checkout-return?session_id=cs_test_race").headers()
                            .firstValue("Location").orElseThrow();
                }));
            }
            start.countDown();
            List<String> payers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String location = futures.get(t).get(30, TimeUnit.SECONDS);
                if (t < 4) {
                    payers.add(location);
                } else {
                    assertThat(location).isEqualTo("/?checkout=refused");
                }
            }
            assertThat(payers).containsOnly("/?checkout=linked", "/?checkout=already_linked");
            assertThat(payers).filteredOn("/?checkout=linked"::equals).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        for (Browser stranger : strangers) {
            assertThat(harness.wallet.lookupUser(stranger.token())).isEmpty();
        }
        assertThat(payer.get("/whoami").body()).contains("registered=true balance=800");
    }
}
