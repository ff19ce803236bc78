package dev.stripeflare.store.h2;

import dev.stripeflare.spi.UserRecord;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each column of an ACCOUNTS row sits in a result, read once from the result's metadata:
 * the built-in columns by position, every other column as a custom field. A layout holds as long
 * as the table's columns do, which change only through migrations when the store opens.
 */
final class AccountLayout {

    private static final Set<String> BUILT_IN = new HashSet<>(BuiltInSchema.ACCOUNT_COLUMNS);

    private final int userId;
    private final int balance;
    private final int name;
    private final int email;
    private final int verifiedEmail;
    private final int cardFingerprint;
    private final int createdAt;
    private final int granted;
    private final int grantExpires;
    private final int held;
    private final int holdExpires;
    private final int[] customPositions;
    private final String[] customLabels;

    private AccountLayout(ResultSetMetaData meta) throws SQLException {
        Map<String, Integer> builtIn = new HashMap<>();
        List<Integer> positions = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String label = meta.getColumnLabel(i);
            if (BUILT_IN.contains(label)) {
                builtIn.putIfAbsent(label, i);
            } else {
                positions.add(i);
                labels.add(label);
            }
        }
        userId = position(builtIn, "USER_ID");
        balance = position(builtIn, "BALANCE");
        name = position(builtIn, "NAME");
        email = position(builtIn, "EMAIL");
        verifiedEmail = position(builtIn, "VERIFIED_EMAIL");
        cardFingerprint = position(builtIn, "CARD_FINGERPRINT");
        createdAt = position(builtIn, "CREATED_AT");
        granted = position(builtIn, "GRANTED");
        grantExpires = position(builtIn, "GRANT_EXPIRES");
        held = position(builtIn, "HELD");
        holdExpires = position(builtIn, "HOLD_EXPIRES");
        customPositions = positions.stream().mapToInt(Integer::intValue).toArray();
        customLabels = labels.toArray(new String[0]);
    }

    /** The layout of {@code rs}'s columns. */
    static AccountLayout of(ResultSet rs) throws SQLException {
        return new AccountLayout(rs.getMetaData());
    }

    /** The account on {@code rs}'s current row, which must have this layout. */
    UserRecord user(ResultSet rs) throws SQLException {
        Map<String, Object> custom = Map.of();
        if (customPositions.length > 0) {
            custom = new HashMap<>();
            for (int i = 0; i < customPositions.length; i++) {
                Object value = rs.getObject(customPositions[i]);
                if (value != null) {
                    custom.put(customLabels[i], value);
                }
            }
        }
        return new UserRecord(
                rs.getLong(userId),
                rs.getLong(balance),
                rs.getString(name),
                rs.getString(email),
                rs.getString(verifiedEmail),
                rs.getString(cardFingerprint),
                custom,
                Sql.fromDb(rs.getObject(createdAt, LocalDateTime.class)),
                rs.getLong(granted),
                nextExpiry(rs.getObject(grantExpires, LocalDateTime.class)),
                rs.getLong(held),
                nextExpiry(rs.getObject(holdExpires, LocalDateTime.class)));
    }

    private static java.time.Instant nextExpiry(LocalDateTime at) {
        return at == null ? null : Sql.fromDb(at);
    }

    private static int position(Map<String, Integer> builtIn, String column) throws SQLException {
        Integer position = builtIn.get(column);
        if (position == null) {
            throw new SQLException("ACCOUNTS result lacks column " + column);
        }
        return position;
    }
}
