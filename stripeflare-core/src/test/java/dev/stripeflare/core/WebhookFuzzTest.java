package dev.stripeflare.core;

import static dev.stripeflare.core.WebhookHarness.NOW_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stripeflare.LedgerEntry;
import dev.stripeflare.Session;
import dev.stripeflare.WebhookOutcome;
import dev.stripeflare.WebhookResult;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mutated real webhook payloads, signed with the real secret and not, against a wallet with real
 * accounts: the webhook URL is public, so its body and header are attacker input, and a signed
 * body is Stripe's word but may still be something we cannot apply.
 *
 * <p>For every case: no exception escapes, the status is 200, 400 or 503 (never 500, a bug of
 * ours); an unsigned or wrongly signed case is {@code REJECTED_SIGNATURE} and changes nothing; a
 * case answered 400 or 503, or {@code IGNORED}, changes nothing (no store call changed state, no
 * balance moved); and
 * every account's balance stays the sum of its ledger. Seeded: the seed is printed with every
 * failure; rerun with {@code -Dstripeflare.fuzz.seed=…}; {@code -Dstripeflare.fuzz.cases=…} runs
 * more (default 100 000).
 */
class WebhookFuzzTest {
    private static final int CASES = Integer.getInteger("stripeflare.fuzz.cases", 100_000);
    private static final String OTHER_SECRET = "whsec_not_the_wallets_secret_000000";
    private static final Pattern KEY = Pattern.compile("\"([a-z_]+)\"\\s*:\\s*");
    private static final Pattern NUMBER = Pattern.compile("(?<=[:\\[,] ?)-?\\d+(\\.\\d+)?");
    private static final String[] EVENT_TYPES = {"checkout.session.completed", "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed", "charge.refunded", "charge.refund.updated", "charge.dispute.created",
        "charge.dispute.funds_withdrawn", "charge.dispute.closed", "customer.created", "", "CHARGE.REFUNDED"};
    private static final String[] ODD_VALUES = {"99999999999999999999999", "-1", "0", "1e400", "-9223372036854775808",
        "9223372036854775807", "9223372036854775808", "1.5", "NaN", "\"500\"", "null", "true", "[]", "{}", "\"\"",
        "\"\\u0000\"", "\"\\ud800\"", "-0", "1E2", "\"usd\"", "\"won\"", "\"failed\"", "\"warning_needs_response\"",
        "\"acct_1Fuzz\"", "{\"object\":\"list\",\"data\":[null],\"has_more\":false}", "[{}]", "[null]"};
    private static final String[] ODD_TEXT = {"\u0000", "\"", "\\", "{", "}", "[", "]", ",", ":", "\ufffd", "\ud800",
        "\u2028", "\r\n", "\t", "'", "/*", "\\u", "\\ud800\\u0041", "e+", "\u00e9", "\uD83D\uDCB8"};

    private final long seed = Long.getLong("stripeflare.fuzz.seed", new Random().nextLong());
    private final Logger webhookLog = Logger.getLogger(StripeWebhooks.class.getName());
    private Level logLevel;
    private boolean logToParent;
    private final List<Throwable> bugs = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Handler bugCatcher = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getThrown() != null) {
                bugs.add(record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private WebhookHarness harness;
    private Session ada;
    private List<String> bases;
    private long adaId;
    private final Map<String, Long> outcomes = new TreeMap<>();

    @BeforeEach
    void setUp() {
        // 100 000 refusals would each log a warning (the secrets test covers what is logged); a
        // bug (500) logs its exception at ERROR, which is kept for the failure message.
        logLevel = webhookLog.getLevel();
        logToParent = webhookLog.getUseParentHandlers();
        webhookLog.setLevel(Level.SEVERE);
        webhookLog.setUseParentHandlers(false);
        webhookLog.addHandler(bugCatcher);
        harness = new WebhookHarness();
        ada = harness.visitor();
        Session bea = harness.visitor();
        assertThat(harness.deliver(WebhookHarness.checkoutCompleted(ada, 1).json()).outcome())
                .isEqualTo(WebhookOutcome.CREDITED);
        assertThat(harness.deliver(WebhookHarness.checkoutCompleted(bea, 9).json()).acknowledged()).isTrue();
        adaId = harness.user(ada).userId();
        bases = List.of(
                WebhookHarness.checkoutCompleted(ada, 1).json(),
                WebhookHarness.checkoutCompleted(ada, 2).json(),
                WebhookHarness.checkoutCompleted(bea, 9).json(),
                WebhookHarness.asyncSucceeded(ada, 3).json(),
                WebhookHarness.asyncFailed(ada, 4).json(),
                WebhookHarness.refunded(1).json(),
                WebhookHarness.refunded(9).json(),
                WebhookHarness.disputed(1).json(),
                WebhookHarness.disputeInquiry(1).json(),
                WebhookHarness.disputeFundsWithdrawn(9).json(),
                WebhookHarness.disputeClosed(1, "won").json(),
                WebhookHarness.refundUpdated(1, "failed").json(),
                WebhookHarness.refundUpdated(9, "succeeded").json(),
                Issue9ConnectEventsTest.inAccount(WebhookHarness.checkoutCompleted(ada, 5).json(), "acct_1Fuzz"));
    }

    @AfterEach
    void tearDown() {
        harness.close();
        webhookLog.removeHandler(bugCatcher);
        webhookLog.setUseParentHandlers(logToParent);
        webhookLog.setLevel(logLevel);
    }

    @Test
    void mutatedPayloadsNeverEscapeNeverAnswer500AndChangeNothingUnlessApplied() {
        Random random = new Random(seed);
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        int signed = 0;
        int applied = 0;
        for (int n = 0; n < CASES; n++) {
            String base = bases.get(random.nextInt(bases.size()));
            String body = mutate(base, random);
            int signing = random.nextInt(4);
            String header = switch (signing) {
                case 0, 1 -> StripeSignatures.header(body, TestWallets.SIGNING_SECRET, NOW_SECONDS);
                case 2 -> StripeSignatures.header(body, OTHER_SECRET, NOW_SECONDS);
                default -> body.equals(base) ? "t=" + NOW_SECONDS + ",v1=" + "0".repeat(64)
                        : StripeSignatures.header(base, TestWallets.SIGNING_SECRET, NOW_SECONDS);
            };
            boolean validlySigned = signing <= 1;
            WebhookResult result = deliverChecked(n, body, header, validlySigned);
            signed += validlySigned ? 1 : 0;
            applied += result.httpStatus() == 200 ? 1 : 0;
            if (n % 5_000 == 0) {
                assertLedgersAddUp(n);
            }
        }
        assertLedgersAddUp(CASES);
        System.out.printf("WebhookFuzzTest: %d cases (%d signed, %d answered 200, %d Stripe API calls) in %d ms"
                        + " (%d ms CPU of this thread), seed %d: %s%n", CASES, signed, applied,
                harness.stripe.requests().size(), (System.nanoTime() - wallStart) / 1_000_000,
                (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1_000_000, seed, outcomes);
        assertThat(signed).as("seed %d: both kinds are tried", seed).isBetween(CASES / 3, CASES * 2 / 3);
        assertThat(applied).as("seed %d: some mutations are still valid events", seed).isPositive();
    }

    @Test
    void hugeAndDeeplyNestedSignedPayloadsAreRefusedCleanly() {
        Random random = new Random(seed);
        String base = bases.get(0);
        List<String> bodies = new ArrayList<>();
        bodies.add(base.replace("\"Ada Lovelace\"", "\"" + "A".repeat(10 << 20) + "\""));
        bodies.add(base + " ".repeat(10 << 20));
        bodies.add("[".repeat(10 << 20));
        bodies.add("{\"a\":".repeat(1 << 20) + "1" + "}".repeat(1 << 20));
        bodies.add(base.replace("\"metadata\": {}", "\"metadata\": " + "[".repeat(100_000) + "]".repeat(100_000)));
        bodies.add(new String(randomBytes(random, 10 << 20), StandardCharsets.UTF_8));
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            deliverChecked(-1 - i, body, StripeSignatures.header(body, TestWallets.SIGNING_SECRET, NOW_SECONDS), true);
            deliverChecked(-1 - i, body, "t=" + NOW_SECONDS + ",v1=" + "0".repeat(64), false);
        }
        assertLedgersAddUp(-1);
    }

    private WebhookResult deliverChecked(int n, String body, String header, boolean validlySigned) {
        long changesBefore = harness.recorded.changes();
        long balanceBefore = adaBalance();
        WebhookResult result;
        try {
            result = harness.wallet.handleWebhookPayload(body, header);
        } catch (Throwable escaped) {
            throw new AssertionError("seed " + seed + ", case " + n + ": " + escaped + " escaped for body "
                    + abbreviate(body), escaped);
        }
        boolean wellFormed = result.httpStatus() == 200 || result.httpStatus() == 400 || result.httpStatus() == 503;
        if (!wellFormed) {
            throw new AssertionError(context(n, result, body, "status must be 200, 400 or 503"),
                    bugs.isEmpty() ? null : bugs.get(bugs.size() - 1));
        }
        if (!validlySigned && result.outcome() != WebhookOutcome.REJECTED_SIGNATURE) {
            throw new AssertionError(context(n, result, body, "an unsigned body must be REJECTED_SIGNATURE"));
        }
        outcomes.merge(result.outcome() + (validlySigned ? "" : " (unsigned)"), 1L, Long::sum);
        boolean mustChangeNothing = result.httpStatus() != 200 || result.outcome() == WebhookOutcome.IGNORED;
        if (mustChangeNothing && (harness.recorded.changes() != changesBefore || adaBalance() != balanceBefore)) {
            throw new AssertionError(context(n, result, body, "a refused body changed state: "
                    + harness.recorded.recentChanges() + ", balance " + balanceBefore + " -> " + adaBalance()));
        }
        return result;
    }

    private long adaBalance() {
        return harness.store.findById(adaId).orElseThrow().balanceCents();
    }

    private void assertLedgersAddUp(int n) {
        assertThat(harness.ledger(ada).stream().mapToLong(LedgerEntry::amountCents).sum())
                .as("seed %d, case %d", seed, n).isEqualTo(harness.balance(ada));
        for (long id = adaId - 2; id <= adaId + 4; id++) {
            harness.store.findById(id).ifPresent(user -> assertThat(harness.store.ledger(user.userId()).stream()
                    .mapToLong(LedgerEntry::amountCents).sum())
                    .as("seed %d, case %d: balance of account %d is the sum of its ledger", seed, n, user.userId())
                    .isEqualTo(user.balanceCents()));
        }
    }

    private String context(int n, WebhookResult result, String body, String problem) {
        return "seed " + seed + ", case " + n + ": " + problem + "; got " + result + " for body " + abbreviate(body);
    }

    private static String abbreviate(String body) {
        String oneLine = body.length() > 300 ? body.substring(0, 300) + "…(" + body.length() + " chars)" : body;
        return oneLine.replaceAll("\\s+", " ");
    }

    /** One to three stacked mutations of {@code json}. */
    static String mutate(String json, Random random) {
        String body = json;
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations && !body.isEmpty(); i++) {
            body = mutateOnce(body, random);
        }
        return body;
    }

    private static String mutateOnce(String s, Random random) {
        int at = random.nextInt(s.length());
        return switch (random.nextInt(13)) {
            case 0 -> flipBit(s, random);
            case 1 -> s.substring(0, at);
            case 2 -> s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + random.nextInt(40)));
            case 3 -> {
                int end = Math.min(s.length(), at + 1 + random.nextInt(200));
                int into = random.nextInt(s.length());
                yield s.substring(0, into) + s.substring(at, end) + s.substring(into);
            }
            case 4 -> replaceRandomMatch(s, NUMBER, random, ODD_VALUES[random.nextInt(ODD_VALUES.length)]);
            case 5 -> replaceRandomValue(s, random, ODD_VALUES[random.nextInt(ODD_VALUES.length)]);
            case 6 -> replaceRandomValue(s, random, nested(random));
            case 7 -> invalidUtf8(s, random);
            case 8 -> s.replaceFirst("\"type\": \"[^\"]*\"",
                    "\"type\": \"" + EVENT_TYPES[random.nextInt(EVENT_TYPES.length)] + "\"");
            case 9 -> renameOrDropKey(s, random);
            case 10 -> s.substring(0, at) + ODD_TEXT[random.nextInt(ODD_TEXT.length)] + s.substring(at);
            case 11 -> duplicateKey(s, random);
            default -> replaceRandomValue(s, random, "\"" + randomId(random) + "\"");
        };
    }

    private static String flipBit(String s, Random random) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int i = random.nextInt(bytes.length);
        bytes[i] ^= (byte) (1 << random.nextInt(8));
        // The body reaches the wallet as a String: invalid UTF-8 was decoded with replacement chars.
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String invalidUtf8(String s, Random random) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int at = random.nextInt(bytes.length + 1);
        byte[] junk = randomBytes(random, 1 + random.nextInt(6));
        byte[] out = new byte[bytes.length + junk.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(junk, 0, out, at, junk.length);
        System.arraycopy(bytes, at, out, at + junk.length, bytes.length - at);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        for (int i = 0; i < length; i++) {
            bytes[i] |= (byte) 0x80;
        }
        return bytes;
    }

    private static String nested(Random random) {
        int depth = 1 + random.nextInt(random.nextBoolean() ? 40 : 20_000);
        String open = random.nextBoolean() ? "[" : "{\"x\":";
        String close = open.equals("[") ? "]" : "}";
        boolean balanced = random.nextInt(4) != 0;
        return open.repeat(depth) + "1" + (balanced ? close.repeat(depth) : close.repeat(random.nextInt(depth + 1)));
    }

    private static String randomId(Random random) {
        String[] prefixes = {"cs_test_", "pi_test_", "ch_test_", "re_", "dp_", "evt_", "acct_", ""};
        return prefixes[random.nextInt(prefixes.length)] + Long.toString(random.nextLong() >>> 1, 36);
    }

    private static String replaceRandomMatch(String s, Pattern pattern, Random random, String replacement) {
        Matcher matcher = pattern.matcher(s);
        List<int[]> spans = new ArrayList<>();
        while (matcher.find()) {
            spans.add(new int[] {matcher.start(), matcher.end()});
        }
        if (spans.isEmpty()) {
            return s;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        return s.substring(0, span[0]) + replacement + s.substring(span[1]);
    }

    /** Replaces the value of a random key (a string, number, literal, object or array) with {@code replacement}. */
    private static String replaceRandomValue(String s, Random random, String replacement) {
        Matcher matcher = KEY.matcher(s);
        List<Integer> starts = new ArrayList<>();
        while (matcher.find()) {
            starts.add(matcher.end());
        }
        if (starts.isEmpty()) {
            return s;
        }
        int start = starts.get(random.nextInt(starts.size()));
        return s.substring(0, start) + replacement + s.substring(valueEnd(s, start));
    }

    private static int valueEnd(String s, int start) {
        if (start >= s.length()) {
            return start;
        }
        char first = s.charAt(start);
        if (first == '"') {
            int i = start + 1;
            while (i < s.length() && s.charAt(i) != '"') {
                i += s.charAt(i) == '\\' ? 2 : 1;
            }
            return Math.min(s.length(), i + 1);
        }
        if (first == '{' || first == '[') {
            int depth = 0;
            boolean inString = false;
            for (int i = start; i < s.length(); i++) {
                char c = s.charAt(i);
                if (inString) {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if ((c == '}' || c == ']') && --depth == 0) {
                    return i + 1;
                }
            }
            return s.length();
        }
        int i = start;
        while (i < s.length() && ",}] \n".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    private static String renameOrDropKey(String s, Random random) {
        Matcher matcher = KEY.matcher(s);
        List<int[]> keys = new ArrayList<>();
        while (matcher.find()) {
            keys.add(new int[] {matcher.start(1), matcher.end(1), matcher.end()});
        }
        if (keys.isEmpty()) {
            return s;
        }
        int[] key = keys.get(random.nextInt(keys.size()));
        if (random.nextBoolean()) {
            return s.substring(0, key[0]) + s.substring(key[0], key[1]).toUpperCase() + s.substring(key[1]);
        }
        // Drop "key": value and one following comma, leaving (mostly) valid JSON without the field.
        int end = valueEnd(s, key[2]);
        if (end < s.length() && s.charAt(end) == ',') {
            end++;
        }
        return s.substring(0, key[0] - 1) + s.substring(end);
    }

    private static String duplicateKey(String s, Random random) {
        String[] keys = {"id", "type", "amount", "currency", "status", "payment_intent", "client_reference_id",
            "amount_total", "payment_status", "account", "object", "data"};
        String key = keys[random.nextInt(keys.length)];
        int at = s.indexOf("\"" + key + "\":");
        if (at < 0) {
            return s;
        }
        return s.substring(0, at) + "\"" + key + "\": " + ODD_VALUES[random.nextInt(ODD_VALUES.length)] + ", "
                + s.substring(at);
    }
}
