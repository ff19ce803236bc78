package dev.stripeflare.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether Debian's Chromium and ChromeDriver are here. Without them a browser test is skipped
 * loudly (a {@code SKIPPED} line and a JUnit assumption); under CI ({@code CI=true}) their
 * absence fails the test instead, since CI installs them (.ci/install-chromium.sh).
 */
final class BrowserRequirement {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private BrowserRequirement() {
    }

    static void require(String testName) {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String message = testName + ": " + CHROMIUM + " or " + CHROMEDRIVER
                + " is missing; run .ci/install-chromium.sh to run the browser test";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true and " + message);
        }
        System.out.println("SKIPPED " + message);
        Assumptions.abort(message);
    }
}
