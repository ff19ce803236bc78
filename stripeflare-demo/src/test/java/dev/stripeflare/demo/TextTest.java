package dev.stripeflare.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void htmlEscapesMarkupAndQuotes() {
        assertThat(Text.html("<b a=\"1\">O'Brien & co</b>"))
                .isEqualTo("&lt;b a=&quot;1&quot;&gt;O&#39;Brien &amp; co&lt;/b&gt;");
    }

    @Test
    void dollarsFormatsCentsWithSign() {
        assertThat(Text.dollars(0)).isEqualTo("$0.00");
        assertThat(Text.dollars(499)).isEqualTo("$4.99");
        assertThat(Text.dollars(-5)).isEqualTo("-$0.05");
    }
}
