package dev.stripeflare.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void escapesQuotesBackslashesControlsAndHtmlSensitiveCharacters() {
        String json = new JsonWriter()
                .field("s", "a\"b\\c\nd\u0001</script>&\u2028")
                .field("n", Optional.empty())
                .field("l", -12L)
                .field("b", true)
                .end();
        assertThat(json).isEqualTo("{\"s\":\"a\\\"b\\\\c\\nd\\u0001\\u003c/script\\u003e\\u0026\\u2028\","
                + "\"n\":null,\"l\":-12,\"b\":true}");
    }

    @Test
    void keepsNonAsciiTextAsIs() {
        assertThat(new JsonWriter().field("name", "Zoë ✓").end()).isEqualTo("{\"name\":\"Zoë ✓\"}");
    }

    @Test
    void aStandaloneLiteralIsEscapedLikeAField() {
        assertThat(JsonWriter.string("a\"<b>\n")).isEqualTo("\"a\\\"\\u003cb\\u003e\\n\"");
        assertThat(JsonWriter.string(null)).isEqualTo("null");
    }
}
