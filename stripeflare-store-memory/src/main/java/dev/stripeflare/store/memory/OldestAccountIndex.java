package dev.stripeflare.store.memory;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Accounts by one of their text fields (card fingerprint, verified email), answering the oldest
 * account holding a value. Not thread-safe: the store guards it with its write lock.
 */
final class OldestAccountIndex {

    private static final Comparator<Account> OLDEST_FIRST =
            Comparator.comparing((Account a) -> a.createdAt).thenComparingLong(a -> a.userId);

    private final Map<String, TreeSet<Account>> accountsByValue = new HashMap<>();
    private final Function<Account, String> field;
    private final boolean ignoreCase;

    OldestAccountIndex(Function<Account, String> field, boolean ignoreCase) {
        this.field = field;
        this.ignoreCase = ignoreCase;
    }

    /** Indexes {@code account} under its current value of the field, if it has one. */
    void add(Account account) {
        String value = field.apply(account);
        if (value != null) {
            accountsByValue.computeIfAbsent(key(value), k -> new TreeSet<>(OLDEST_FIRST)).add(account);
        }
    }

    void remove(Account account) {
        String value = field.apply(account);
        if (value == null) {
            return;
        }
        String key = key(value);
        TreeSet<Account> accounts = accountsByValue.get(key);
        if (accounts != null) {
            accounts.remove(account);
            if (accounts.isEmpty()) {
                accountsByValue.remove(key);
            }
        }
    }

    Optional<Account> oldest(String value) {
        TreeSet<Account> accounts = accountsByValue.get(key(value));
        return accounts == null ? Optional.empty() : Optional.of(accounts.first());
    }

    private String key(String value) {
        return ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    }
}
