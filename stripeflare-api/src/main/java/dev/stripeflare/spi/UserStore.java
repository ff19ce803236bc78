package dev.stripeflare.spi;

import dev.stripeflare.ChargeResult;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.StoreException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where accounts, token hashes, ledgers and applied operation ids live.
 *
 * <p><b>Thread safety.</b> Implementations must be safe for concurrent use by many threads; a
 * wallet calls one store from every request thread.
 *
 * <p><b>Atomicity.</b> Every method that changes state ({@link #charge}, {@link #credit},
 * {@link #reverse}, {@link #recordSettled}, {@link #rotateToken}, {@link #deleteUser}) is one
 * atomic step: it happens entirely or not at all, and concurrent calls behave as if run one
 * after another. Each balance change appends a {@link LedgerEntry} in that same step, so an
 * account's balance always equals the sum of its ledger's amounts. If a method throws, it
 * changed nothing — with one exception a durable store may have: the step committed but could
 * not then be forced to disk, which it must report as a {@link StoreException} saying so.
 * Because every money-moving step is exactly-once, retrying it is safe either way.
 *
 * <p><b>Exactly once.</b> Every money-moving method takes an operation id (an idempotency key
 * for charges, a Stripe-derived id for credits and reversals) and applies it at most once; the
 * record of the id is written in the same atomic step as the balance change. Credit and
 * reversal ids share one namespace per store; idempotency keys are per account.
 *
 * <p><b>Tokens.</b> Stores see only token hashes: the base64url (no padding) SHA-256 of the
 * token, 43 characters. A hash maps to exactly one account; several hashes may map to the same
 * account (several devices). Lookups "by token hash" return that account.
 *
 * <p><b>Errors.</b> Implementations throw {@link StoreException} for their own failures, and
 * the exceptions named on each method for invalid requests; never a checked exception.
 *
 * <p>Stores take every timestamp from their arguments and never read a clock themselves.
 */
public interface UserStore extends AutoCloseable {

    /** The account that {@code tokenHash} opens, if any. */
    Optional<UserRecord> findByTokenHash(String tokenHash);

    /** The account with this id, if it exists. */
    Optional<UserRecord> findById(long userId);

    /**
     * The oldest account (earliest {@code createdAt}, then lowest id) whose card fingerprint is
     * {@code cardFingerprint}, compared exactly, if any.
     */
    Optional<UserRecord> findByCardFingerprint(String cardFingerprint);

    /** The oldest account (as above) whose verified email equals {@code verifiedEmail}, ignoring case. */
    Optional<UserRecord> findByVerifiedEmail(String verifiedEmail);

    /**
     * Atomically: if the debit's idempotency key already charged the account, answer
     * {@code REPLAYED} with the balance right after that charge; else check the balance and
     * debit it, append a {@link dev.stripeflare.LedgerEntryKind#CHARGE} entry and record the
     * key. An unknown token answers {@code NOT_REGISTERED}, a balance too low
     * {@code INSUFFICIENT_BALANCE}; neither records the key.
     *
     * @throws IdempotencyKeyReusedException if the key charged this account a different amount
     * @throws InvalidAmountException        if the new balance would overflow a {@code long}
     */
    ChargeResult charge(Debit debit);

    /**
     * Atomically credits a payment, exactly once per {@code operationId}:
     * <ol>
     *   <li>an operation id applied before answers {@code DUPLICATE} and changes nothing;</li>
     *   <li>else a known token's account is credited ({@code EXISTING});</li>
     *   <li>else, when {@code linkToUserId} names an existing account, the token is attached to
     *       it and it is credited ({@code LINKED});</li>
     *   <li>else a new account is created for the token with the payment's profile and credited
     *       ({@code CREATED}).</li>
     * </ol>
     * The account's name and email become the profile's where the profile has them; its
     * verified email and card fingerprint are set where the account has none yet. Reversals
     * deferred for the same {@code paymentReference} are applied in the same step, after the
     * credit.
     *
     * @throws InvalidAmountException if the new balance would overflow a {@code long}
     */
    CreditResult credit(PaymentCredit credit);

    /**
     * Atomically takes a payment back, exactly once per {@code operationId}: debits the account
     * that the credit with the same {@code paymentReference} went to (the balance may go below
     * zero), or, when no such credit exists yet, records the reversal as deferred so that
     * {@link #credit} applies it. When the credited account has since been deleted, the
     * reversal is recorded as applied with no account ({@code userId} empty).
     *
     * @throws InvalidAmountException if the new balance would overflow a {@code long}
     */
    ReversalResult reverse(PaymentReversal reversal);

    /**
     * Records {@code operationId} as settled without moving money (e.g. a payment in another
     * currency), so later deliveries are recognised as duplicates.
     *
     * @return false if the operation id was already recorded or applied
     */
    boolean recordSettled(String operationId, String reason, Instant at);

    /**
     * Atomically makes {@code newTokenHash} open the account that {@code oldTokenHash} opened,
     * and {@code oldTokenHash} open nothing. Other token hashes of the account are untouched.
     *
     * @return false, changing nothing, if {@code oldTokenHash} opens no account
     * @throws StoreException if {@code newTokenHash} is already in use (including when it equals
     *                        {@code oldTokenHash}); nothing changed
     */
    boolean rotateToken(String oldTokenHash, String newTokenHash);

    /** The account's ledger, oldest first; empty for an unknown account. */
    List<LedgerEntry> ledger(long userId);

    /**
     * Atomically deletes the account, its token hashes and its ledger. Applied operation ids
     * stay recorded, so a redelivered payment is still a duplicate.
     *
     * @return false if there was no such account
     */
    boolean deleteUser(long userId);

    /** Releases the store's resources. Later calls fail with {@link StoreException}. */
    @Override
    void close();
}
