package dev.stripeflare.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.store.h2.H2UserStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickStartTest {

    @Test
    void theStoryRunsEndToEndOnAnH2FileAndTheLedgerAddsUp(@TempDir Path folder) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        QuickStart.run(H2UserStore.file(folder.resolve("wallet")), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);

        assertThat(output)
                .contains("webhook → HTTP 200 CREDITED")
                .contains("webhook → HTTP 200 DUPLICATE")
                .contains("return  → ALREADY_LINKED, balance 500 cents")
                .contains("charge  → REPLAYED, balance 425 cents")
                .contains("webhook → HTTP 200 PAYER_IDENTIFIED")
                .contains("phone  balance: 0 cents")
                .contains("return  → LINKED, balance 625 cents")
                .contains("phone  balance: 625 cents")
                .contains("stranger's token opens an account: false")
                .contains("phone  balance: 725 cents")
                .contains("old laptop token resolves: false")
                .contains("charge  → INSUFFICIENT_BALANCE, balance 725 cents");
        Matcher sums = Pattern.compile("sum of ledger: (-?\\d+), balance: (-?\\d+)").matcher(output);
        assertThat(sums.find()).isTrue();
        assertThat(sums.group(1)).isEqualTo(sums.group(2)).isEqualTo("725");
    }
}
