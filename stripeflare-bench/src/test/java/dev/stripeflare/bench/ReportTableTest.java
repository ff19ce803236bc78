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

    @Test
    void checksPostgresTargetsAtTheirThreadCountsAgainstBothBaselines(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("pg.json");
        Files.writeString(json, "["
                + run("ChargeBenchmark.zipf", "postgres", "sample", "us/op", 0, 300, 2_000, 5_000, 1) + ","
                + run("ChargeBenchmark.zipf", "postgres", "thrpt", "ops/us", 0.004, 0, 0, 0, 1) + ","
                + run("ChargeBenchmark.zipf", "postgres", "thrpt", "ops/us", 0.004, 0, 0, 0, 8) + ","
                + run("NaivePostgresBenchmark.zipf", null, "thrpt", "ops/us", 0.002, 0, 0, 0, 1) + ","
                + run("NaivePostgresBenchmark.zipf", null, "thrpt", "ops/us", 0.008, 0, 0, 0, 8) + ","
                + run("RedisBenchmark.zipf", null, "thrpt", "ops/us", 0.02, 0, 0, 0, 8) + ","
                + run("WebhookBenchmark.handle", "postgres", "thrpt", "ops/us", 0.0012, 0, 0, 0, 8) + "]");
        Properties machine = new Properties();
        machine.setProperty("cpus", "2");

        String table = ReportTable.render(machine, List.of(json));

        assertThat(table)
                .contains("| charge, Zipf over users | `postgres` | 100,000 | 1 | 300 | 2,000 | 5,000 | 4,000 ± 1% | — | — | 0.50× | — |"
                        + " ❌ p99 ≤ 1,000 µs; ✅ ≤ 1.5× naive PostgreSQL; ❌ p99.9 ≪ 20 ms |")
                .contains("| charge, Zipf over users | `postgres` | 100,000 | 8 | — | — | — | 4,000 ± 1% | — | — | 2.00× | 5.00× |"
                        + " ❌ ≥ 5,000 ops/s at 8 threads; ❌ ≤ 1.5× naive PostgreSQL |")
                .contains("| webhook: verify + credit | `postgres` | 100,000 | 8 |")
                .contains("✅ ≥ 1,000 ops/s at 8 threads")
                .contains("(d) Redis Lua check-and-DECRBY, Zipf");
    }

    @Test
    void checksTheMetricsOverheadAgainstTheBareWalletOfTheSameRun(@TempDir Path dir) throws Exception {
        Path met = dir.resolve("met.json");
        Files.writeString(met, "[" + run("MeteredChargeBenchmark.bare", "memory", "thrpt", "ops/us", 1.0, 0, 0, 0)
                + "," + run("MeteredChargeBenchmark.metered", "memory", "thrpt", "ops/us", 0.95, 0, 0, 0) + "]");
        Path missed = dir.resolve("missed.json");
        Files.writeString(missed, "[" + run("MeteredChargeBenchmark.bare", "memory", "thrpt", "ops/us", 1.0, 0, 0, 0)
                + "," + run("MeteredChargeBenchmark.metered", "memory", "thrpt", "ops/us", 0.8, 0, 0, 0) + "]");
        Properties machine = new Properties();
        machine.setProperty("cpus", "2");

        assertThat(ReportTable.render(machine, List.of(met)))
                .contains("| charge, Zipf: bare wallet (metrics baseline, paired) | `memory` |")
                .contains("✅ metrics overhead ≤ 10 % (here +5.3 %)");
        assertThat(ReportTable.render(machine, List.of(missed)))
                .contains("❌ metrics overhead ≤ 10 % (here +25.0 %)");

        Path group = dir.resolve("group.json");
        String paired = run("MeteredChargeBenchmark.paired", "memory", "thrpt", "ops/us", 1.9, 0, 0, 0, 2);
        Files.writeString(group, "[" + paired.substring(0, paired.length() - 1) + ",\"secondaryMetrics\":{"
                + "\"bare\":{\"score\":1.0,\"scoreError\":0.01,\"scoreUnit\":\"ops/us\"},"
                + "\"metered\":{\"score\":0.9,\"scoreError\":0.01,\"scoreUnit\":\"ops/us\"},"
                + "\"bare:p0.50\":{\"score\":2.0,\"scoreError\":0,\"scoreUnit\":\"us/op\"},"
                + "\"p0.50\":{\"score\":2.0,\"scoreError\":0,\"scoreUnit\":\"us/op\"}}}]");
        assertThat(ReportTable.render(machine, List.of(group)))
                .contains("| charge, Zipf: bare wallet (metrics baseline, paired) | `memory` | 100,000 | 1 | — | — | — |"
                        + " 1,000,000 ± 1% |")
                .contains("❌ metrics overhead ≤ 10 % (here +11.1 %)")
                .doesNotContain("MeteredChargeBenchmark.paired").doesNotContain("p0.50");
    }

    private static String run(String benchmark, String store, String mode, String unit,
                              double score, double p50, double p99, double p999) {
        return run(benchmark, store, mode, unit, score, p50, p99, p999, 1);
    }

    private static String run(String benchmark, String store, String mode, String unit,
                              double score, double p50, double p99, double p999, int threads) {
        String params = store == null ? "{\"users\":\"100000\"}" : "{\"store\":\"" + store + "\",\"users\":\"100000\"}";
        return "{\"jmhVersion\":\"1.37\",\"benchmark\":\"dev.stripeflare.bench." + benchmark + "\",\"mode\":\"" + mode
                + "\",\"threads\":" + threads + ",\"forks\":1,\"jvm\":\"java\",\"jvmArgs\":[\"-Xmx4g\"],\"jdkVersion\":\"17\","
                + "\"vmName\":\"OpenJDK\",\"vmVersion\":\"17\",\"warmupIterations\":2,\"warmupTime\":\"1 s\","
                + "\"measurementIterations\":3,\"measurementTime\":\"1 s\",\"params\":" + params + ","
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":" + (score / 100) + ",\"scoreUnit\":\"" + unit
                + "\",\"scorePercentiles\":{\"0.0\":0,\"50.0\":" + p50 + ",\"99.0\":" + p99 + ",\"99.9\":" + p999
                + ",\"100.0\":" + p999 + "}}}";
    }
}
