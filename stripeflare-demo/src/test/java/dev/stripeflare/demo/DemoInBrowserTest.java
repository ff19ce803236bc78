package dev.stripeflare.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person's path through the demo in real headless Chromium: open the page, top up through
 * test mode's simulated checkout (which returns through {@code /checkout-return} as Stripe's
 * after-completion redirect does), click the paid action, watch the balance fall; then, as a
 * second device without the cookie, pay with the same card and land logged in. Leaves
 * {@code target/demo-*.png} screenshots.
 *
 * <p>Drives Debian's {@code /usr/bin/chromium} through {@code /usr/bin/chromedriver}, both set
 * explicitly so Selenium Manager never downloads anything. Without them the test is skipped,
 * visibly (a JUnit assumption and a line on standard output); {@code .ci/install-chromium.sh}
 * installs them.
 */
class DemoInBrowserTest {
    private static final Path CHROMIUM = BrowserRequirement.CHROMIUM;
    private static final Path CHROMEDRIVER = BrowserRequirement.CHROMEDRIVER;

    @TempDir
    Path data;
    @TempDir
    Path profile;

    @Test
    void aPersonTopsUpInTestModeSpendsOneCentAndLogsInOnASecondDeviceByPaying() throws Exception {
        BrowserRequirement.require("DemoInBrowserTest");

        try (DemoServer demo = DemoServer.start(new DemoConfig("127.0.0.1", 0, data, Optional.empty(), true))) {
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1000,900", "--user-data-dir=" + profile);
            WebDriver browser = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                browser.get(demo.baseUri() + "/");
                assertThat(browser.findElement(By.id("mode-banner")).getText()).contains("TEST MODE");
                assertThat(browser.findElement(By.id("balance")).getText()).isEqualTo("$0.00");
                screenshot(browser, "demo-1-visitor.png");

                browser.findElement(By.id("topup")).click();
                wait.until(ExpectedConditions.elementToBeClickable(By.id("pay")));
                assertThat(browser.getCurrentUrl()).contains("/simulated-checkout?client_reference_id=");
                new Select(browser.findElement(By.id("amount"))).selectByValue("500");
                screenshot(browser, "demo-2-checkout.png");
                browser.findElement(By.id("pay")).click();

                wait.until(ExpectedConditions.textToBe(By.id("balance"), "$5.00"));
                assertThat(browser.getCurrentUrl()).endsWith("/?checkout=already_linked");
                assertThat(browser.findElement(By.id("email")).getText()).isEqualTo("ada@example.com");
                assertThat(browser.findElement(By.id("name")).getText()).isEqualTo("Ada Lovelace");

                browser.findElement(By.id("paid")).click();
                wait.until(ExpectedConditions.textToBe(By.id("balance"), "$5.02")); // + today's 3¢ allowance
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "The charge took"));
                browser.findElement(By.id("paid")).click();
                wait.until(ExpectedConditions.textToBe(By.id("balance"), "$5.01"));
                assertThat(browser.findElement(By.id("result")).getText()).contains("Charged 1¢", "ms on the server");
                screenshot(browser, "demo-3-spent.png");

                browser.navigate().refresh();
                assertThat(browser.findElement(By.id("balance")).getText()).isEqualTo("$5.01");
                // The ledger, newest first: two charges, today's allowance (granted), the payment.
                assertThat(browser.findElements(By.cssSelector("#ledger tr.ledger-line .what")))
                        .extracting(WebElement::getText)
                        .containsExactly("spent", "spent", "granted (free)", "paid");
                assertThat(browser.findElement(By.id("paid-cents")).getText()).isEqualTo("$5.00");
                assertThat(browser.findElement(By.id("granted-cents")).getText()).isEqualTo("$0.01");
                screenshot(browser, "demo-3b-ledger.png");

                // A second device: the same browser without its cookie is a new visitor, pays
                // $1.00 with the same card, and Stripe's after-completion redirect (simulated)
                // brings it back to /checkout-return, which logs it in to the account.
                browser.manage().deleteAllCookies();
                browser.get(demo.baseUri() + "/");
                assertThat(browser.findElement(By.id("balance")).getText()).isEqualTo("$0.00");
                browser.findElement(By.id("topup")).click();
                wait.until(ExpectedConditions.elementToBeClickable(By.id("pay")));
                new Select(browser.findElement(By.id("amount"))).selectByValue("100");
                browser.findElement(By.id("pay")).click();
                wait.until(ExpectedConditions.textToBe(By.id("balance"), "$6.01"));
                assertThat(browser.getCurrentUrl()).endsWith("/?checkout=linked");
                assertThat(browser.findElement(By.id("topped-up")).getText()).contains("signed in");
                assertThat(browser.findElement(By.id("email")).getText()).isEqualTo("ada@example.com");
                screenshot(browser, "demo-4-second-device.png");
            } finally {
                browser.quit();
                service.stop();
            }
        }
    }

    @Test
    void aVisitorSpendsTodaysFreeCreditBeforePayingAndSeesItInTheLedger() throws Exception {
        BrowserRequirement.require("DemoInBrowserTest");

        try (DemoServer demo = DemoServer.start(new DemoConfig("127.0.0.1", 0, data, Optional.empty(), true))) {
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1000,900", "--user-data-dir=" + profile);
            WebDriver browser = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                browser.get(demo.baseUri() + "/");
                assertThat(browser.findElement(By.id("free-offer")).getText()).contains("3¢ of free credit a day");
                assertThat(browser.findElements(By.id("ledger"))).isEmpty();

                // The first paid action opens the account with today's free credit.
                browser.findElement(By.id("paid")).click();
                wait.until(ExpectedConditions.textToBe(By.id("balance"), "$0.02"));
                browser.navigate().refresh();
                assertThat(browser.findElement(By.id("who")).getText()).contains("A free account (no payment yet)");
                assertThat(browser.findElements(By.cssSelector("#ledger tr.ledger-line .what")))
                        .extracting(WebElement::getText).containsExactly("spent", "granted (free)");
                assertThat(browser.findElement(By.cssSelector("#ledger tr.GRANT")).getText())
                        .contains("$0.03", "allowance (day)");
                assertThat(browser.findElement(By.id("granted-cents")).getText()).isEqualTo("$0.02");
                screenshot(browser, "demo-5-free-credit.png");

                browser.findElement(By.id("paid")).click();
                wait.until(ExpectedConditions.textToBe(By.id("balance"), "$0.01"));
                browser.findElement(By.id("paid")).click();
                wait.until(ExpectedConditions.textToBe(By.id("balance"), "$0.00"));
                browser.findElement(By.id("paid")).click();
                wait.until(ExpectedConditions.textToBe(By.id("result"), "Balance too low: top up first."));

                // Paying from this browser credits the same account; the ledger shows paid and granted lines.
                browser.findElement(By.id("topup")).click();
                wait.until(ExpectedConditions.elementToBeClickable(By.id("pay")));
                new Select(browser.findElement(By.id("amount"))).selectByValue("500");
                browser.findElement(By.id("pay")).click();
                wait.until(ExpectedConditions.textToBe(By.id("balance"), "$5.00"));
                assertThat(browser.findElements(By.cssSelector("#ledger tr.ledger-line .what")))
                        .extracting(WebElement::getText)
                        .containsExactly("paid", "spent", "spent", "spent", "granted (free)");
                assertThat(browser.findElement(By.id("paid-cents")).getText()).isEqualTo("$5.00");
                screenshot(browser, "demo-6-paid-after-free.png");
            } finally {
                browser.quit();
                service.stop();
            }
        }
    }

    private static void screenshot(WebDriver browser, String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
