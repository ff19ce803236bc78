package dev.stripeflare.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 10, items 1 and 5, in real headless Chromium: the demo on {@code http://localhost:<port>}
 * and a hostile page on {@code http://127.0.0.1:<other port>}, which is another site. Root causes:
 * a cross-site form POST (sent without the {@code SameSite=Lax} cookie) made the filter mint a
 * token and set it, replacing the paid one; and any well-formed token was accepted and echoed, so
 * a planted cookie fixed the victim's session. Skipped, visibly, without Chromium
 * ({@code .ci/install-chromium.sh}), as {@link DemoInBrowserTest} is.
 */
class CrossSiteInBrowserTest {
    private static final Path CHROMIUM = BrowserRequirement.CHROMIUM;
    private static final Path CHROMEDRIVER = BrowserRequirement.CHROMEDRIVER;

    @TempDir
    Path data;
    @TempDir
    Path profile;
    private DemoServer demo;
    private HttpServer attacker;
    private URI attackerBase;
    private ChromeDriverService service;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        BrowserRequirement.require("CrossSiteInBrowserTest");
        demo = DemoServer.start(new DemoConfig("127.0.0.1", 0, data, Optional.empty(), true));
        attacker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        attacker.createContext("/", exchange -> {
            byte[] page = attackPage(exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        attacker.start();
        attackerBase = URI.create("http://127.0.0.1:" + attacker.getAddress().getPort());
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1000,900", "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
            service.stop();
        }
        if (attacker != null) {
            attacker.stop(0);
        }
        if (demo != null) {
            demo.close();
        }
    }

    /** Pages of the hostile site: forms that post themselves to the demo, and a link to it. */
    private String attackPage(String path) {
        String target = demo.baseUri().toString();
        return switch (path) {
            case "/post-rotate" -> autoPost(target + "/rotate-token");
            case "/post-paid" -> autoPost(target + "/api/paid");
            case "/post-home" -> autoPost(target + "/");
            default -> "<!doctype html><a id=\"go\" href=\"" + target + "/\">a link to the demo</a>";
        };
    }

    private static String autoPost(String action) {
        return "<!doctype html><form id=\"f\" method=\"POST\" action=\"" + action + "\">"
                + "<input name=\"x\" value=\"1\"></form><script>document.getElementById('f').submit()</script>";
    }

    private String cookie() {
        Cookie cookie = browser.manage().getCookieNamed("access_token");
        return cookie == null ? null : cookie.getValue();
    }

    private void topUpFiveDollars() {
        browser.get(demo.baseUri() + "/");
        browser.findElement(By.id("topup")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("pay")));
        new Select(browser.findElement(By.id("amount"))).selectByValue("500");
        browser.findElement(By.id("pay")).click();
        wait.until(ExpectedConditions.textToBe(By.id("balance"), "$5.00"));
    }

    @Test
    void aThirdPartyPagesFormPostsCannotReplaceThePaidCookie() {
        topUpFiveDollars();
        String paid = cookie();
        assertThat(paid).isNotNull();

        for (String attack : List.of("/post-rotate", "/post-paid", "/post-home")) {
            browser.get(attackerBase + attack);
            wait.until(ExpectedConditions.urlContains(demo.baseUri().getAuthority()));
            assertThat(cookie()).as(attack).isEqualTo(paid);
        }

        browser.get(demo.baseUri() + "/");
        assertThat(browser.findElement(By.id("balance")).getText()).isEqualTo("$5.00");
        assertThat(cookie()).isEqualTo(paid);
    }

    @Test
    void aPlantedTokenIsReplacedOnTheNextSameSiteVisitAndOpensNoAccount() {
        browser.get(demo.baseUri() + "/");
        for (String planted : List.of("sf_" + "A".repeat(43), "sf2_" + "A".repeat(64))) {
            // What a sibling subdomain (or a script injected elsewhere) could do to a plain cookie.
            browser.manage().deleteCookieNamed("access_token");
            browser.manage().addCookie(new Cookie("access_token", planted, "/"));

            // Arriving from another site by a link: the planted token is not used, and not confirmed.
            browser.get(attackerBase + "/link");
            browser.findElement(By.id("go")).click();
            wait.until(ExpectedConditions.urlContains(demo.baseUri().getAuthority()));
            assertThat(browser.findElement(By.id("balance")).getText()).isEqualTo("$0.00");

            // The next visit of the site itself replaces it with a token the server minted.
            browser.get(demo.baseUri() + "/");
            assertThat(cookie()).as(planted).isNotEqualTo(planted).startsWith("sf2_");
        }
    }
}
