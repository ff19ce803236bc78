package dev.stripeflare.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.Allowance;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Allowances for visitors behind the filter (ADR 33 addendum): a visitor who keeps its cookie
 * gets its free allowance from its second request on; a client that presents no token (or a
 * forged one) is never charged with the token minted for it, so a client that drops cookies gets
 * no free use and opens no account.
 */
class VisitorAllowanceFilterTest {
    private JettyHarness harness;

    @BeforeEach
    void start() throws Exception {
        harness = new JettyHarness(FilterSettings.development(), UnaryOperator.identity(), context -> { },
                new Server(), builder -> builder.allowance(new Allowance(5, Allowance.Period.DAY))
                        .allowanceForVisitors(true));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aVisitorKeepingItsCookieSpendsTheAllowanceBeforePaying() throws Exception {
        HttpResponse<String> first = harness.get("/paid?price=2");   // no cookie yet: minted, not charged
        assertThat(first.statusCode()).isEqualTo(402);
        assertThat(harness.store.findById(1)).isEmpty();

        HttpResponse<String> second = harness.get("/paid?price=2");  // brings the cookie it was given
        HttpResponse<String> third = harness.get("/paid?price=2");
        HttpResponse<String> fourth = harness.get("/paid?price=2");

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("X-Balance")).hasValue("3");
        assertThat(third.headers().firstValue("X-Balance")).hasValue("1");
        assertThat(fourth.statusCode()).isEqualTo(402);
        assertThat(harness.store.findById(1)).isPresent();
        assertThat(harness.store.findById(2)).isEmpty();
    }

    @Test
    void aClientThatDropsCookiesGetsNothingAndOpensNoAccount() throws Exception {
        for (int i = 0; i < 5; i++) {
            harness.cookies.getCookieStore().removeAll();
            HttpResponse<String> response = harness.get("/paid?price=1");
            assertThat(response.statusCode()).isEqualTo(402);
            assertThat(response.body()).doesNotContain("paid content");
        }
        HttpResponse<String> forged = harness.getWithBearer("/paid?price=1", "sf2_" + "A".repeat(64));
        assertThat(forged.statusCode()).isEqualTo(402);
        assertThat(harness.store.findById(1)).isEmpty();
    }
}
