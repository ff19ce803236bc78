package dev.stripeflare.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The README's code blocks that are compiled and run as tests are exactly the tested code. */
class ReadmeSnippetsTest {
    @Test
    void thePlainJdkServerIsTheTestedOne() throws Exception {
        assertThat(ReadmeSnippets.readme()).contains(ReadmeSnippets.snippet("PlainJdkServer.java", "plain-jdk"));
    }

    @Test
    void theTestingExampleIsTheTestedOne() throws Exception {
        assertThat(ReadmeSnippets.readme()).contains(ReadmeSnippets.snippet("TopUpTest.java", "testing"));
    }
}
