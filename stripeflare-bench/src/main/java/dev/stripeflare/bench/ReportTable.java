package dev.stripeflare.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns JMH's JSON results ({@code -rf json}) into the README's performance table, so no number
 * in the README is typed by hand.
 *
 * <pre>
 * java -cp benchmarks.jar dev.stripeflare.bench.ReportTable machine results/machine.properties
 * java -cp benchmarks.jar dev.stripeflare.bench.ReportTable table results/TABLE.md results/machine.properties results/*.json
 * </pre>
 *
 * <p>One row per operation, store and thread count, joining the {@code SampleTime} run
 * (p50/p99/p99.9) and the {@code Throughput} run (operations per second). Charge rows carry
 * their ratios to the two baselines run beside them, computed from throughput at the same
 * thread count: time per charge of ours divided by that of the baseline (the floor, naive H2,
 * naive PostgreSQL and Redis). Each target of issues 4, 6 and 12 is checked against the numbers
 * and marked met or missed. Machine, JDK and JMH settings
 * go into footnotes.
 */
public final class ReportTable {

    /** One benchmark method under one store and thread count. */
    record Key(String benchmark, String store, String users, int threads) {
    }

    /** What the two modes measured for one key. */
    static final class Row {
        Double p50;
        Double p99;
        Double p999;
        Double max;
        Double opsPerSecond;
        Double opsError;
    }

    /** A target: which rows it applies to, what it checks, and how it reads. */
    record Target(Predicate<Key> appliesTo, String label, Predicate<Row> met, Predicate<Row> measured) {
    }

    private static final Map<String, String> OPERATIONS = new LinkedHashMap<>();
    /** A benchmark group whose methods ran at the same time, reported one row per method. */
    private static final String PAIRED_GROUP = "paired";

    static {
        OPERATIONS.put("ChargeBenchmark.zipf", "charge, Zipf over users");
        OPERATIONS.put("ChargeBenchmark.sameUser", "charge, one user from all threads");
        OPERATIONS.put("MeteredChargeBenchmark.bare", "charge, Zipf: bare wallet (metrics baseline, paired)");
        OPERATIONS.put("MeteredChargeBenchmark.metered", "charge, Zipf: `MeteredWallet` (Micrometer, paired)");
        OPERATIONS.put("FloorBenchmark.zipf", "(a) floor: CHM + AtomicLong CAS, Zipf");
        OPERATIONS.put("FloorBenchmark.sameUser", "(a) floor: CHM + AtomicLong CAS, one user");
        OPERATIONS.put("NaiveJdbcBenchmark.zipf", "(b) naive JDBC UPDATE, autocommit, Zipf");
        OPERATIONS.put("NaiveJdbcBenchmark.sameUser", "(b) naive JDBC UPDATE, autocommit, one user");
        OPERATIONS.put("NaivePostgresBenchmark.zipf", "(c) naive PostgreSQL UPDATE, autocommit, Zipf");
        OPERATIONS.put("NaivePostgresBenchmark.sameUser", "(c) naive PostgreSQL UPDATE, autocommit, one user");
        OPERATIONS.put("RedisBenchmark.zipf", "(d) Redis Lua check-and-DECRBY, Zipf");
        OPERATIONS.put("RedisBenchmark.sameUser", "(d) Redis Lua check-and-DECRBY, one user");
        OPERATIONS.put("SessionBenchmark.session", "session(token)");
        OPERATIONS.put("SessionBenchmark.lookupUser", "lookupUser(token)");
        OPERATIONS.put("WebhookBenchmark.handle", "webhook: verify + credit");
        OPERATIONS.put("RotateBenchmark.rotate", "rotateToken");
        OPERATIONS.put("ScaleChargeBenchmark.zipf", "charge, Zipf over users (scale)");
    }

    private static final List<Target> TARGETS = List.of(
            p99AtMost("ChargeBenchmark.zipf", Stores.MEMORY, 5),
            opsAtLeast("ChargeBenchmark.zipf", Stores.MEMORY, 1_000_000),
            p99AtMost("ChargeBenchmark.zipf", Stores.H2_MEM, 50),
            opsAtLeast("ChargeBenchmark.zipf", Stores.H2_MEM, 50_000),
            p99AtMost("ChargeBenchmark.zipf", Stores.H2_FILE, 1_000),
            p99AtMost("SessionBenchmark.session", Stores.MEMORY, 10),
            p99AtMost("SessionBenchmark.session", Stores.H2_MEM, 50),
            p99AtMost("SessionBenchmark.session", Stores.H2_FILE, 50),
            p99AtMost("SessionBenchmark.lookupUser", Stores.MEMORY, 10),
            p99AtMost("SessionBenchmark.lookupUser", Stores.H2_MEM, 50),
            p99AtMost("SessionBenchmark.lookupUser", Stores.H2_FILE, 50),
            opsAtLeast("WebhookBenchmark.handle", Stores.MEMORY, 5_000),
            opsAtLeast("WebhookBenchmark.handle", Stores.H2_MEM, 5_000),
            opsAtLeast("WebhookBenchmark.handle", Stores.H2_FILE, 5_000),
            p99AtMost("ScaleChargeBenchmark.zipf", Stores.H2_MEM, 100),
            p99AtMost("ScaleChargeBenchmark.zipf", Stores.H2_FILE, 1_000),
            p999AtMost("ScaleChargeBenchmark.zipf", 5_000),
            // Issue 12: PostgreSQL over loopback on the 2-core machine.
            p99AtMost("ChargeBenchmark.zipf", Stores.POSTGRES, 1_000),
            opsAtLeast("ChargeBenchmark.zipf", Stores.POSTGRES, 5_000, 8),
            opsAtLeast("WebhookBenchmark.handle", Stores.POSTGRES, 1_000, 8));

    private ReportTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("machine")) {
            writeMachine(Path.of(args[1]));
        } else if (args.length >= 4 && args[0].equals("table")) {
            List<Path> results = Stream.of(args).skip(3).map(Path::of).collect(Collectors.toList());
            String table = render(readMachine(Path.of(args[2])), results);
            Files.writeString(Path.of(args[1]), table, StandardCharsets.UTF_8);
            System.out.print(table);
        } else {
            System.err.println("usage: ReportTable machine <machine.properties>\n"
                    + "       ReportTable table <TABLE.md> <machine.properties> <results.json>...");
            System.exit(2);
        }
    }

    /** Records the machine this JVM runs on, for the footnotes. */
    static void writeMachine(Path file) throws IOException {
        Properties machine = new Properties();
        machine.setProperty("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        machine.setProperty("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name").orElse("unknown CPU"));
        machine.setProperty("memory", firstValue(Path.of("/proc/meminfo"), "MemTotal").orElse("unknown"));
        machine.setProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch"));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            machine.store(out, "the machine the benchmarks ran on");
        }
    }

    private static Properties readMachine(Path file) throws IOException {
        Properties machine = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            machine.load(in);
        }
        return machine;
    }

    private static Optional<String> firstValue(Path file, String field) {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith(field))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " "))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Markdown table and its footnotes. */
    static String render(Properties machine, List<Path> resultFiles) throws IOException {
        Map<Key, Row> rows = new TreeMap<>(ReportTable::compareKeys);
        Set<String> settings = new LinkedHashSet<>();
        Set<String> jvms = new LinkedHashSet<>();
        for (Path file : resultFiles) {
            JsonArray runs;
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                runs = JsonParser.parseReader(in).getAsJsonArray();
            }
            for (JsonElement element : runs) {
                JsonObject run = element.getAsJsonObject();
                Key key = keyOf(run);
                if (key.benchmark().endsWith("." + PAIRED_GROUP)) {
                    // A JMH group: one row per method, each on one of the group's threads.
                    String owner = key.benchmark().substring(0, key.benchmark().lastIndexOf('.') + 1);
                    for (Map.Entry<String, JsonElement> method : run.getAsJsonObject("secondaryMetrics").entrySet()) {
                        if (!method.getKey().matches("[A-Za-z]\\w*")) {
                            continue; // a percentile of a method ("bare:p0.50") or of the group ("p0.50")
                        }
                        Key methodKey = new Key(owner + method.getKey(), key.store(), key.users(), 1);
                        read(method.getValue().getAsJsonObject(), run.get("mode").getAsString(),
                                rows.computeIfAbsent(methodKey, k -> new Row()));
                    }
                } else {
                    read(run.getAsJsonObject("primaryMetric"), run.get("mode").getAsString(),
                            rows.computeIfAbsent(key, k -> new Row()));
                }
                settings.add(settingsOf(run));
                jvms.add("JDK " + run.get("jdkVersion").getAsString() + " (" + run.get("vmName").getAsString()
                        + " " + run.get("vmVersion").getAsString() + "), JMH " + run.get("jmhVersion").getAsString()
                        + ", JVM options `" + joined(run.getAsJsonArray("jvmArgs")) + "`");
            }
        }

        StringBuilder out = new StringBuilder();
        out.append("<!-- Generated by dev.stripeflare.bench.ReportTable from ")
                .append(resultFiles.stream().map(p -> String.valueOf(p.getFileName())).collect(Collectors.joining(", ")))
                .append("; do not edit by hand: run stripeflare-bench/run.sh. -->\n\n");
        out.append("| Operation | Store | Users | Threads | p50 µs | p99 µs | p99.9 µs | ops/s | ours ÷ floor¹ | ours ÷ naive¹ | ours ÷ naive PG¹ | ours ÷ Redis¹ | Target² |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Map.Entry<Key, Row> entry : rows.entrySet()) {
            Key key = entry.getKey();
            Row row = entry.getValue();
            out.append("| ").append(OPERATIONS.getOrDefault(key.benchmark(), key.benchmark()))
                    .append(" | ").append(key.store() == null ? "—" : "`" + key.store() + "`")
                    .append(" | ").append(key.users() == null ? "—" : thousands(Double.parseDouble(key.users())))
                    .append(" | ").append(key.threads())
                    .append(" | ").append(micros(row.p50))
                    .append(" | ").append(micros(row.p99))
                    .append(" | ").append(micros(row.p999))
                    .append(" | ").append(ops(row))
                    .append(" | ").append(ratio(rows, key, row, "FloorBenchmark"))
                    .append(" | ").append(ratio(rows, key, row, "NaiveJdbcBenchmark"))
                    .append(" | ").append(ratio(rows, key, row, "NaivePostgresBenchmark"))
                    .append(" | ").append(ratio(rows, key, row, "RedisBenchmark"))
                    .append(" | ").append(targets(rows, key, row))
                    .append(" |\n");
        }
        out.append("\n¹ Time per charge of ours divided by the baseline's, from throughput at the same thread count")
                .append(" and the same draw (Zipf or one user): below 1× ours is faster. (a) floor = a")
                .append(" `ConcurrentHashMap<String, AtomicLong>` compare-and-set decrement with no ledger;")
                .append(" (b) naive = one JDBC `UPDATE users SET balance = balance - ? WHERE token = ? AND balance >= ?`")
                .append(" with autocommit on an H2 in-memory table, the same users; (c) naive PG = the same UPDATE")
                .append(" with autocommit on the PostgreSQL server the `postgres` store uses, default `synchronous_commit`")
                .append(" (each charge waits for its WAL flush, while the store's charges commit with")
                .append(" `synchronous_commit = off` unless `synchronousCharges(true)`); (d) Redis = one `EVALSHA` of a Lua")
                .append(" check-and-`DECRBY` per charge, Lettuce sync, no ledger, no persistence asked for.")
                .append(" A — in a ratio column: that baseline did not run at that thread count.\n");
        out.append("\n² Targets of issues 4 and 6, checked at 1 thread, and of issue 12 (`postgres`: p99 at 1 thread,")
                .append(" ops/s at 8 threads, ≤ 1.5× naive PostgreSQL at every thread count), and of issue 16 (Micrometer")
                .append(" metrics cost ≤ 10 % of a memory-store charge's throughput, beside the bare wallet measured at the same")
                .append(" time — a JMH group, one thread each, so both rows share the machine's load):")
                .append(" ✅ met, ❌ missed. Every row at every thread")
                .append(" count is also checked against the original's 20 ms (p99.9 ≤ 2 ms, ten times under it).\n");
        out.append("\n³ Machine: ").append(machine.getProperty("cpus")).append(" CPUs (`nproc`), ")
                .append(machine.getProperty("cpu")).append(", ").append(machine.getProperty("memory"))
                .append(" RAM, ").append(machine.getProperty("os")).append(".\n");
        for (String jvm : jvms) {
            out.append("\n⁴ ").append(jvm).append(".\n");
        }
        for (String setting : settings) {
            out.append("\n⁵ JMH settings: ").append(setting).append(".\n");
        }
        out.append("\nSampleTime gives p50/p99/p99.9 (JMH's sampled latencies, in µs); Throughput gives ops/s"
                + " (± the 99.9% confidence interval JMH reports). Each charge is 1 cent from a user seeded with"
                + " more than a run can spend; every benchmark fails if an operation does not succeed.\n");
        return out.toString();
    }

    private static int compareKeys(Key a, Key b) {
        List<String> order = new ArrayList<>(OPERATIONS.keySet());
        int byOperation = Integer.compare(indexOr(order, a.benchmark()), indexOr(order, b.benchmark()));
        if (byOperation != 0) {
            return byOperation;
        }
        int byName = a.benchmark().compareTo(b.benchmark());
        if (byName != 0) {
            return byName;
        }
        int byStore = Integer.compare(storeOrder(a.store()), storeOrder(b.store()));
        if (byStore != 0) {
            return byStore;
        }
        int byUsers = Long.compare(a.users() == null ? 0 : Long.parseLong(a.users()),
                b.users() == null ? 0 : Long.parseLong(b.users()));
        return byUsers != 0 ? byUsers : Integer.compare(a.threads(), b.threads());
    }

    private static int indexOr(List<String> order, String benchmark) {
        int index = order.indexOf(benchmark);
        return index < 0 ? order.size() : index;
    }

    private static int storeOrder(String store) {
        List<String> order = List.of(Stores.MEMORY, Stores.H2_MEM, Stores.H2_FILE, Stores.POSTGRES);
        int index = store == null ? -1 : order.indexOf(store);
        return index < 0 ? (store == null ? -1 : order.size()) : index;
    }

    private static Key keyOf(JsonObject run) {
        String full = run.get("benchmark").getAsString();
        String[] parts = full.split("\\.");
        String benchmark = parts[parts.length - 2] + "." + parts[parts.length - 1];
        JsonObject params = run.has("params") ? run.getAsJsonObject("params") : new JsonObject();
        String store = params.has("store") ? params.get("store").getAsString() : null;
        String users = params.has("users") ? params.get("users").getAsString() : null;
        return new Key(benchmark, store, users, run.get("threads").getAsInt());
    }

    private static void read(JsonObject metric, String mode, Row row) {
        String unit = metric.get("scoreUnit").getAsString();
        if (mode.equals("sample")) {
            double toMicros = secondsPer(unit.substring(0, unit.indexOf('/'))) * 1e6;
            JsonObject percentiles = metric.getAsJsonObject("scorePercentiles");
            row.p50 = percentiles.get("50.0").getAsDouble() * toMicros;
            row.p99 = percentiles.get("99.0").getAsDouble() * toMicros;
            row.p999 = percentiles.get("99.9").getAsDouble() * toMicros;
            row.max = percentiles.get("100.0").getAsDouble() * toMicros;
        } else if (mode.equals("thrpt")) {
            double perSecond = 1 / secondsPer(unit.substring(unit.indexOf('/') + 1));
            row.opsPerSecond = metric.get("score").getAsDouble() * perSecond;
            double error = metric.get("scoreError").getAsDouble();
            row.opsError = Double.isNaN(error) ? null : error * perSecond;
        }
    }

    private static double secondsPer(String unit) {
        switch (unit) {
            case "ns": return 1e-9;
            case "us": return 1e-6;
            case "ms": return 1e-3;
            case "s": return 1;
            case "min": return 60;
            default: throw new IllegalArgumentException("unknown JMH time unit " + unit);
        }
    }

    private static String settingsOf(JsonObject run) {
        return "forks " + run.get("forks").getAsInt()
                + ", warmup " + run.get("warmupIterations").getAsInt() + " × " + run.get("warmupTime").getAsString()
                + ", measurement " + run.get("measurementIterations").getAsInt() + " × "
                + run.get("measurementTime").getAsString();
    }

    private static String joined(JsonArray values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.getAsString()));
        return String.join(" ", out);
    }

    private static String ratio(Map<Key, Row> rows, Key key, Row row, String baseline) {
        if (!key.benchmark().startsWith("ChargeBenchmark.") && !key.benchmark().startsWith("ScaleChargeBenchmark.")) {
            return "";
        }
        return ratioTo(rows, key, row, baseline)
                .map(ratio -> String.format(Locale.ROOT, ratio < 10 ? "%.2f×" : "%.0f×", ratio))
                .orElse("—");
    }

    /** Ours' time per operation over the baseline's, from throughput at the same thread count. */
    private static Optional<Double> ratioTo(Map<Key, Row> rows, Key key, Row row, String baseline) {
        String method = key.benchmark().substring(key.benchmark().indexOf('.') + 1);
        Row base = rows.entrySet().stream()
                .filter(e -> e.getKey().benchmark().equals(baseline + "." + method)
                        && e.getKey().threads() == key.threads())
                .map(Map.Entry::getValue)
                .findFirst().orElse(null);
        if (base == null || base.opsPerSecond == null || row.opsPerSecond == null) {
            return Optional.empty();
        }
        return Optional.of(base.opsPerSecond / row.opsPerSecond);
    }

    private static String targets(Map<Key, Row> rows, Key key, Row row) {
        List<String> checks = new ArrayList<>();
        for (Target target : TARGETS) {
            if (target.appliesTo().test(key) && target.measured().test(row)) {
                checks.add((target.met().test(row) ? "✅ " : "❌ ") + target.label());
            }
        }
        if (key.benchmark().startsWith("ChargeBenchmark.") && Stores.POSTGRES.equals(key.store())) {
            ratioTo(rows, key, row, "NaivePostgresBenchmark").ifPresent(ratio ->
                    checks.add((ratio <= 1.5 ? "✅ " : "❌ ") + "≤ 1.5× naive PostgreSQL"));
        }
        if (key.threads() == 1) {
            if (key.benchmark().equals("ChargeBenchmark.zipf") && Stores.MEMORY.equals(key.store())) {
                ratioTo(rows, key, row, "FloorBenchmark").ifPresent(ratio ->
                        checks.add((ratio <= 10 ? "✅ " : "❌ ") + "≤ 10× floor"));
            }
        }
        if (key.benchmark().equals("MeteredChargeBenchmark.metered")) {
            Row bare = rows.get(new Key("MeteredChargeBenchmark.bare", key.store(), key.users(), key.threads()));
            if (bare != null && bare.opsPerSecond != null && row.opsPerSecond != null) {
                double overhead = bare.opsPerSecond / row.opsPerSecond - 1;
                checks.add((overhead <= 0.10 ? "✅ " : "❌ ") + "metrics overhead ≤ 10 % (here "
                        + String.format(Locale.ROOT, "%+.1f", 100 * overhead) + " %)");
            }
        }
        if (row.p999 != null && row.p999 > 2_000) {
            checks.add("❌ p99.9 ≪ 20 ms");
        }
        return String.join("; ", checks);
    }

    private static Target p99AtMost(String benchmark, String store, double micros) {
        return new Target(k -> k.benchmark().equals(benchmark) && store.equals(k.store()) && k.threads() == 1,
                "p99 ≤ " + thousands(micros) + " µs", r -> r.p99 <= micros, r -> r.p99 != null);
    }

    private static Target p999AtMost(String benchmark, double micros) {
        return new Target(k -> k.benchmark().equals(benchmark) && k.threads() == 1,
                "p99.9 ≤ " + thousands(micros) + " µs", r -> r.p999 <= micros, r -> r.p999 != null);
    }

    private static Target opsAtLeast(String benchmark, String store, double perSecond) {
        return opsAtLeast(benchmark, store, perSecond, 1);
    }

    private static Target opsAtLeast(String benchmark, String store, double perSecond, int threads) {
        return new Target(k -> k.benchmark().equals(benchmark) && store.equals(k.store()) && k.threads() == threads,
                "≥ " + thousands(perSecond) + " ops/s" + (threads == 1 ? "" : " at " + threads + " threads"),
                r -> r.opsPerSecond >= perSecond, r -> r.opsPerSecond != null);
    }

    static String micros(Double value) {
        if (value == null) {
            return "—";
        }
        if (value < 10) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        if (value < 100) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return thousands(value);
    }

    private static String ops(Row row) {
        if (row.opsPerSecond == null) {
            return "—";
        }
        String ops = thousands(row.opsPerSecond);
        if (row.opsError == null || row.opsPerSecond == 0) {
            return ops;
        }
        return ops + " ± " + Math.round(100 * row.opsError / row.opsPerSecond) + "%";
    }

    static String thousands(double value) {
        return String.format(Locale.ROOT, "%,d", Math.round(value));
    }
}
