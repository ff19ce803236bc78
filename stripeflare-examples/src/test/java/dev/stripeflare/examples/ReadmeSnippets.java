package dev.stripeflare.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The code between {@code // README-BEGIN name} and {@code // README-END name} of a test source. */
final class ReadmeSnippets {
    private ReadmeSnippets() {
    }

    static String readme() throws IOException {
        return Files.readString(Path.of("..").toAbsolutePath().normalize().resolve("README.md"));
    }

    static String snippet(String sourceFile, String name) throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/stripeflare/examples").resolve(sourceFile));
        String begin = "// README-BEGIN " + name + "\n";
        int start = source.indexOf(begin);
        int end = source.indexOf("// README-END " + name);
        if (start < 0 || end < start) {
            throw new IllegalStateException(sourceFile + " has no README block " + name);
        }
        return source.substring(start + begin.length(), end);
    }
}
