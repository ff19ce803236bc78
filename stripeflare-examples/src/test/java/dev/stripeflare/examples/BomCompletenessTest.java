package dev.stripeflare.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bill of materials names every library module of the build, so a module added later cannot
 * be left out of it unnoticed. Applications (examples, demo, benchmarks) are not published.
 */
class BomCompletenessTest {
    private static final Set<String> APPLICATIONS =
            Set.of("stripeflare-bom", "stripeflare-examples", "stripeflare-examples-spring",
                    "stripeflare-demo", "stripeflare-bench");

    @Test
    void everyLibraryModuleIsInTheBom() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> libraries = matches(Files.readString(root.resolve("pom.xml")), "<module>([^<]+)</module>")
                .stream().filter(module -> !APPLICATIONS.contains(module)).toList();
        List<String> inBom = matches(Files.readString(root.resolve("stripeflare-bom/pom.xml")),
                "<artifactId>(stripeflare-[^<]+)</artifactId>");

        assertThat(libraries).contains("stripeflare-api", "stripeflare-core");
        assertThat(inBom).containsAll(libraries);
    }

    private static List<String> matches(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        return matcher.results().map(result -> result.group(1)).toList();
    }
}
