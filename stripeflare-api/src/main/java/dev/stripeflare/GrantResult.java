package dev.stripeflare;

/**
 * What {@link Wallet#grant} did.
 *
 * @param applied      true if this call gave the grant; false if its operation id had already
 *                     given it (a replay, nothing changed)
 * @param userId       the account
 * @param balanceCents the account's balance after the call
 * @param grantedCents the part of that balance that is unspent granted credit
 */
public record GrantResult(boolean applied, long userId, long balanceCents, long grantedCents) {
}
