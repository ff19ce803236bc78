package dev.stripeflare.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTableTest {

    @Test
    void joinsModesComputesRatiosAndChecksTargets(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        Files.writeString(json, "[" + run("ChargeBenchmark.zipf", "memory", "sample", "us/op", 0.5, 0.8, 4.0, 9.0)
                + "," + run("ChargeBenchmark.zipf", "memory", "thrpt", "ops/us", 2.0, 0, 0, 0)
                + "," + run("FloorBenchmark.zipf", null, "thrpt", "ops/us", 10.0, 0, 0, 0) + "]");
        Properties machine = new Properties();
        machine.setProperty("cpus", "2");
        machine.setProperty("cpu", "Test CPU");
        machine.setProperty("memory", "1 kB");
        machine.setProperty("os", "Linux");

        String table = ReportTable.render(machine, List.of(json));

        assertThat(table)
                .contains("| charge, Zipf over users | `memory` | 100,000 | 1 | 0.80 | 4.00 | 9.00 | 2,000,000 ± 1% | 5.00× |")
                .contains("✅ p99 ≤ 5 µs; ✅ ≥ 1,000,000 ops/s; ✅ ≤ 10× floor")
                .contains("Test CPU");
    }

    private static String run(String benchmark, String store, String mode, String unit,
                              double score, double p50, double p99, double p999) {
        String params = store == null ? "{\"users\":\"100000\"}" : "{\"store\":\"" + store + "\",\"users\":\"100000\"}";
        return "{\"jmhVersion\":\"1.37\",\"benchmark\":\"dev.stripeflare.bench." + benchmark + "\",\"mode\":\"" + mode
                + "\",\"threads\":1,\"forks\":1,\"jvm\":\"java\",\"jvmArgs\":[\"-Xmx4g\"],\"jdkVersion\":\"17\","
                + "\"vmName\":\"OpenJDK\",\"vmVersion\":\"17\",\"warmupIterations\":2,\"warmupTime\":\"1 s\","
                + "\"measurementIterations\":3,\"measurementTime\":\"1 s\",\"params\":" + params + ","
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":" + (score / 100) + ",\"scoreUnit\":\"" + unit
                + "\",\"scorePercentiles\":{\"0.0\":0,\"50.0\":" + p50 + ",\"99.0\":" + p99 + ",\"99.9\":" + p999
                + ",\"100.0\":" + p999 + "}}}";
    }
}
