package dev.stripeflare.spi;

import dev.stripeflare.AdjustmentResult;
import dev.stripeflare.ChargeResult;
import dev.stripeflare.Grant;
import dev.stripeflare.IdempotencyKeyReusedException;
import dev.stripeflare.InvalidAmountException;
import dev.stripeflare.LedgerEntry;
import dev.stripeflare.StoreException;
import dev.stripeflare.UnclaimedPayment;
import dev.stripeflare.UnknownUserException;
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
 * {@link #reverse}, {@link #restore}, {@link #claimCheckout}, {@link #recordSettled},
 * {@link #rotateToken}, {@link #deleteUser}, {@link #adjust}) is one
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

    /**
     * The account that {@code tokenHash} opens, if any; empty for a revoked hash.
     *
     * @param tokenHash the token's hash ({@link TokenHashes#of})
     * @return the account it opens, or empty
     */
    Optional<UserRecord> findByTokenHash(String tokenHash);

    /**
     * The account with this id, if it exists.
     *
     * @param userId the account's id
     * @return the account, or empty
     */
    Optional<UserRecord> findById(long userId);

    /**
     * The oldest account (earliest {@code createdAt}, then lowest id) whose card fingerprint is
     * {@code cardFingerprint}, compared exactly, if any.
     *
     * @param cardFingerprint the card's fingerprint
     * @return the account it paid for, or empty
     */
    Optional<UserRecord> findByCardFingerprint(String cardFingerprint);

    /**
     * The oldest account (as above) whose verified email equals {@code verifiedEmail}, ignoring case.
     *
     * @param verifiedEmail the Link-verified email
     * @return the account it paid for, or empty
     */
    Optional<UserRecord> findByVerifiedEmail(String verifiedEmail);

    /**
     * Atomically: if the debit's idempotency key already charged the account (and
     * {@link #maintain} has not forgotten it since), answer
     * {@code REPLAYED} with the balance right after that charge; else check the balance and
     * debit it, append a {@link dev.stripeflare.LedgerEntryKind#CHARGE} entry and record the
     * key. An unknown token answers {@code NOT_REGISTERED}, a balance too low
     * {@code INSUFFICIENT_BALANCE}; neither records the key. The debit names its account by
     * token hash or by user id ({@link Debit#byUserId()}); an unknown or deleted user id answers
     * {@code NOT_REGISTERED} too. Implementations resolve the account first and then run one
     * debit step for both (ADR 32), so every rule of a charge holds whichever way it was named.
     *
     * @param debit what to charge, to whom, under which key
     * @return the outcome and the balance after it
     * @throws IdempotencyKeyReusedException if the key charged this account a different amount
     * @throws InvalidAmountException        if the new balance would overflow a {@code long}
     */
    ChargeResult charge(Debit debit);

    /**
     * As {@link #charge(Debit)}, and hands {@code expiredInside} each grant whose expiry this
     * charge applied in its atomic step (ADR 33: a charge expires the account's due grants before
     * its balance check), once, after the step committed — never one that was rolled back, never
     * one another step expired. The wallet calls this form when it has listeners, so that every
     * expiry raises exactly one event; a store that expires nothing inside a charge needs no
     * override.
     *
     * <p>The default applies the account's due expiries through {@link #expireGrants(long, Instant)}
     * first (for a debit by token hash only when {@link UserRecord#nextGrantExpiry()} is due),
     * hands them over, then calls {@link #charge(Debit)}. Stores whose charge expires grants
     * itself should override it: the default misses an expiry that falls due between its two
     * steps.
     *
     * @param debit         the debit, as for {@link #charge(Debit)}
     * @param expiredInside told each grant this charge expired, after it committed
     * @return what {@link #charge(Debit)} answers
     * @throws IdempotencyKeyReusedException as {@link #charge(Debit)}
     * @throws InvalidAmountException        as {@link #charge(Debit)}
     */
    default ChargeResult charge(Debit debit, java.util.function.Consumer<ExpiredGrant> expiredInside) {
        java.util.Objects.requireNonNull(expiredInside, "expiredInside");
        long userId;
        if (debit.byUserId()) {
            userId = debit.userId();
        } else {
            Optional<UserRecord> account = findByTokenHash(debit.tokenHash());
            Instant next = account.map(UserRecord::nextGrantExpiry).orElse(null);
            userId = next != null && !next.isAfter(debit.at()) ? account.get().userId() : 0;
        }
        if (userId != 0) {
            expireGrants(userId, debit.at()).forEach(expiredInside);
        }
        return charge(debit);
    }

    /**
     * Atomically credits a payment, exactly once per {@code operationId}. Money always lands in
     * the account the payment identifies; the paying token gains access only where it already
     * had it, or where it is the first token of a new account:
     * <ol>
     *   <li>an operation id applied (or settled) before answers {@code DUPLICATE} and changes
     *       nothing;</li>
     *   <li>else, when the token opens an account, that account is credited ({@code EXISTING});</li>
     *   <li>else, when the token was revoked ({@link #rotateToken rotated away} or its account
     *       {@link #deleteUser deleted}) and the account it used to open still exists, that
     *       account is credited and the token stays revoked ({@code REVOKED_TOKEN});</li>
     *   <li>else, when the profile's verified email (ignoring case), or else its card
     *       fingerprint, belongs to an account (the oldest, as {@link #findByVerifiedEmail} and
     *       {@link #findByCardFingerprint}), that account is credited. The token is attached to
     *       it only when a pending {@link #claimCheckout claim} of this checkout by the same
     *       token hash exists and has not expired ({@code LINKED}); otherwise the checkout is
     *       recorded as claimable until {@code claimableUntil} ({@code IDENTIFIED});</li>
     *   <li>else a new account is created with the payment's profile and credited; the token
     *       opens it unless the token was revoked ({@code CREATED}).</li>
     * </ol>
     * Choosing the account, creating it and crediting it are one step: two payments with the
     * same vouched card or verified email (see below), at once, end in one account. Two first
     * payments from two devices whose identity is not vouched for yet (neither browser has
     * returned) end in two accounts: telling them from a payment through a stranger's link is
     * impossible at that point, and money in a separate account of the payer is safe, while
     * money in a stranger's account is not. The account's name and email
     * become the profile's where the profile has them. Its verified email and card fingerprint
     * are set where the account has none yet, but only when the payer is vouched for: the credit
     * has no {@code checkoutId} (the caller vouches), or the account was found by that identity
     * ({@code IDENTIFIED}, {@code LINKED}), or the token's browser had already claimed the
     * checkout. Otherwise the identity waits with the checkout and is recorded when the
     * account's own browser claims it ({@code LINKED} or {@code ALREADY_LINKED}): a payment
     * through a stranger's link must never tie the payer's card to the stranger's account,
     * or the payer's next payment would land there. Reversals deferred for the same
     * {@code paymentReference} are applied in the same step, after the credit (capped as in
     * {@link #reverse}). The store remembers, for the payment reference, the account and the
     * cents credited, and, for the checkout id, the account and token hash for later claims.
     *
     * @param credit the payment to credit
     * @return whether it was applied, and to which account
     * @throws InvalidAmountException if the new balance would overflow a {@code long}
     */
    CreditResult credit(PaymentCredit credit);

    /**
     * Atomically takes a payment back, exactly once per {@code operationId}: debits the account
     * that the credit with the same {@code paymentReference} went to (the balance may go below
     * zero), or, when no such credit exists yet, records the reversal as deferred so that
     * {@link #credit} applies it. The cents taken are {@link PaymentReversal#requestedCents}
     * of what the payment credited, capped so that all reversals of one payment together never
     * take more than it credited (less what {@link #restore} gave back); a reversal capped to 0
     * is recorded as applied with no ledger entry. An operation id cancelled in advance by
     * {@link #restore} answers {@code DUPLICATE}. When the credited account has since been
     * deleted, the reversal is recorded as applied with no account ({@code userId} empty).
     *
     * @param reversal the refund or dispute
     * @return what was taken back
     * @throws InvalidAmountException if the new balance would overflow a {@code long}
     */
    ReversalResult reverse(PaymentReversal reversal);

    /**
     * Atomically gives back what the reversal {@code reversalOperationId} took, exactly once per
     * {@code operationId}: when that reversal debited an account, the same cents are credited
     * back to it with a ledger entry of the restoration's kind, and the payment may be reversed
     * by that much again ({@code APPLIED}); when it was deferred, or is not known yet, it is
     * cancelled so that it never applies ({@code CANCELLED}); when it took nothing (capped to 0,
     * or its account was deleted), nothing moves ({@code APPLIED}, 0 cents). A repeated
     * operation id, or a second restoration of the same reversal, answers {@code DUPLICATE}.
     *
     * @param restoration the failed refund or won dispute
     * @return what was given back
     * @throws InvalidAmountException if the new balance would overflow a {@code long}
     */
    ReversalResult restore(PaymentRestoration restoration);

    /**
     * Atomically lets the browser that completed a checkout open the account it paid into. The
     * claim succeeds only for the token hash the checkout was credited under (the token inside
     * its {@code client_reference_id}), only once, only until the checkout's
     * {@code claimableUntil}, and only while that token is not revoked and opens no other
     * account: then the token is attached ({@code LINKED}). A token that already opens that
     * account answers {@code ALREADY_LINKED}. Either answer within the window closes the
     * checkout to every other claim and records the payer identity kept with it (see
     * {@link #credit}). When the checkout is not credited yet, the claim
     * is recorded until {@code pendingUntil} and {@link #credit} attaches the token
     * ({@code PENDING}); a second pending claim of the same checkout with another token hash is
     * {@code REFUSED}. Anything refused or expired changes nothing.
     *
     * @param claim the returning browser's claim
     * @return what the claim did
     */
    ClaimResult claimCheckout(CheckoutClaim claim);

    /**
     * Records {@code operationId} as settled without moving money (e.g. a payment in another
     * currency), so later deliveries are recognised as duplicates.
     *
     * @return false if the operation id was already recorded or applied
     * @param operationId the operation id to record
     * @param reason      why it moved no money
     * @param at          the time to record
     */
    boolean recordSettled(String operationId, String reason, Instant at);

    /**
     * Atomically makes {@code newTokenHash} open the account that {@code oldTokenHash} opened,
     * and {@code oldTokenHash} open nothing, ever again: it is kept as revoked (a tombstone
     * naming the account), so no credit or claim attaches it again. Other token hashes of the
     * account are untouched. Of two rotations of one token at once, exactly one succeeds; a
     * rotation racing {@link #deleteUser} either rotates before the deletion (and the new hash
     * is deleted with the account) or answers false.
     *
     * @return false, changing nothing, if {@code oldTokenHash} opens no live account
     * @param oldTokenHash the hash of the token to retire
     * @param newTokenHash the hash of its replacement
     * @throws StoreException if {@code newTokenHash} is already in use or revoked (including when
     *                        it equals {@code oldTokenHash}); nothing changed
     */
    boolean rotateToken(String oldTokenHash, String newTokenHash);

    /**
     * The account's ledger, oldest first; empty for an unknown account.
     *
     * @param userId the account's id
     * @return the entries, oldest first
     */
    List<LedgerEntry> ledger(long userId);

    /**
     * Atomically deletes the account, its token hashes and its ledger. Its token hashes are kept
     * as revoked, so they never open anything again. Applied operation ids stay recorded, so a
     * redelivered payment is still a duplicate.
     *
     * @return false if there was no such account
     * @param userId the account's id
     */
    boolean deleteUser(long userId);

    /**
     * Whether the store can serve calls now, without changing any data. Cheap enough for a
     * health endpoint polled every few seconds, bounded in time (a store that asks a server
     * waits a few seconds for its answer, plus at most its pool's own wait for a connection),
     * and never throws: a failure to find out is {@code DOWN}.
     * After {@link #close()} it answers {@code DOWN}. The default answers {@code UP}; stores
     * whose storage can fail override it.
     *
     * @return up or down, with a detail
     */
    default StoreHealth health() {
        return StoreHealth.up("no health check: the store does not report one");
    }

    /** Releases the store's resources. Later calls fail with {@link StoreException}. */
    @Override
    void close();

    // Unclaimed payments (issue 11 item 3, ADR 31): paid checkouts that could not be credited.

    /**
     * Atomically records {@code payment} (which must be {@code OPEN}) as unclaimed and its
     * {@link UnclaimedPayment#operationId()} as settled, so that a later credit, settlement or
     * unclaimed record under the same operation id is a duplicate. Moves no money.
     *
     * @return false, changing nothing, if the operation id or the payment's id was already
     *         recorded (applied, settled or unclaimed)
     * @param payment the open unclaimed payment
     * @throws IllegalArgumentException if {@code payment} is not open
     */
    boolean recordUnclaimed(UnclaimedPayment payment);

    /**
     * Every unclaimed payment, open or resolved, oldest first (by receipt, then id).
     *
     * @return the payments, oldest first
     */
    List<UnclaimedPayment> unclaimedPayments();

    /**
     * The unclaimed payment with this id (checkout session id), if any.
     *
     * @param unclaimedId the payment's id
     * @return the payment, or empty
     */
    Optional<UnclaimedPayment> findUnclaimed(String unclaimedId);

    /**
     * Atomically credits an open unclaimed payment to an existing account, exactly once: the
     * account's balance grows by the payment's amount with a {@link dev.stripeflare.LedgerEntryKind#PAYMENT}
     * entry under the payment's operation id, the payment's PaymentIntent (when it has one) is
     * remembered as credited to that account so that its refunds and disputes are taken from it,
     * reversals of it that were deferred are applied in the same step (capped as in
     * {@link #reverse}), and the payment becomes {@code ASSIGNED}. Of concurrent assignments and
     * refund markings of one payment, exactly one resolves it; the others answer
     * {@code ALREADY_ASSIGNED} or {@code ALREADY_REFUNDED}. Every answer but {@code RESOLVED}
     * changed nothing. The store does not look at currencies: the caller assigns only payments in
     * the wallet's currency.
     *
     * @param assignment the payment, the account and the note
     * @return the payment as resolved, or why not
     * @throws InvalidAmountException if the new balance would overflow a {@code long}; nothing changed
     */
    UnclaimedResolution assignUnclaimed(UnclaimedAssignment assignment);

    /**
     * Atomically marks an open unclaimed payment as refunded to its payer, exactly once; moves no
     * money. An assigned payment answers {@code ALREADY_ASSIGNED}, a refunded one
     * {@code ALREADY_REFUNDED}, an unknown id {@code NOT_FOUND}; each changes nothing.
     *
     * @param unclaimedId the payment's id
     * @param note        why, for the record, or null
     * @param at          the time to record
     * @return the payment as resolved, or why not
     */
    UnclaimedResolution markUnclaimedRefunded(String unclaimedId, String note, Instant at);

    // Adjustments (issue 13, ADR 32): manual corrections for support work.

    /**
     * Atomically changes the balance of account {@link Adjustment#userId} by
     * {@link Adjustment#amountCents}, exactly once per {@link Adjustment#operationId}: appends a
     * {@link dev.stripeflare.LedgerEntryKind#ADJUSTMENT} entry (memo: the reason, operation id:
     * the adjustment's) and records the operation id in the same step ({@code APPLIED}).
     * Adjustment ids are one namespace per store, apart from credit ids and idempotency keys. An
     * id already applied to the same account with the same amount answers {@code REPLAYED} with
     * the balance right after its first application and changes nothing. A negative adjustment
     * that would take the balance below zero, when that is not allowed, answers
     * {@code INSUFFICIENT_BALANCE} and records nothing. The ids of a deleted account's
     * adjustments stay recorded.
     *
     * @param adjustment the change, its account, reason and operation id
     * @return the outcome and the balance after it
     * @throws UnknownUserException          if no live account has the id; nothing changed
     * @throws IdempotencyKeyReusedException if the operation id already adjusted another account
     *                                       or by another amount; nothing changed
     * @throws InvalidAmountException        if the new balance would overflow a {@code long};
     *                                       nothing changed
     */
    AdjustmentResult adjust(Adjustment adjustment);

    /**
     * Removes one bounded batch of what {@code request} says has outlived its retention:
     * idempotency keys, operation ids, payment rows (with their reversals' records), checkout
     * rows and deferred reversals. Each removal is atomic with respect to the operations that
     * read it: a charge, credit, reversal or claim racing it sees the record either whole or not
     * at all. Balances and ledgers never change. Once removed, an idempotency key charges again,
     * an operation id is applied again, and a reversal of a removed payment is deferred (then
     * expires): callers must refuse deliveries older than the operation retention (the wallet
     * does).
     *
     * @return what was removed; {@code more} when a kind reached {@code batchSize}
     * @param request what is due and how much to remove at most
     * @throws StoreException if the store fails; a batch may then be partly done (each removal
     *                        is safe on its own)
     */
    dev.stripeflare.MaintenanceReport maintain(MaintenanceRequest request);

    /**
     * Rolls up every account's ledger entries made before {@code before}: for each account, the
     * longest run of oldest entries whose time is before {@code before} (at least two entries,
     * or one that is not an {@link dev.stripeflare.LedgerEntryKind#OPENING_BALANCE}) is handed
     * to {@code sink} and replaced, in the same atomic step, by one {@code OPENING_BALANCE}
     * entry of their sum at the time and balance of the last of them (no entry when they sum to
     * 0), so balance == Σ ledger still holds. Atomic per account against charges and every other
     * change of that account; accounts are rolled up one after another.
     *
     * @param before entries older than this are archived
     * @param sink   receives each account's archived entries
     * @return what was archived
     * @throws RuntimeException what {@code sink} throws: that account is left as it was, the
     *                          accounts before it stay rolled up
     * @throws StoreException   if the store fails
     */
    dev.stripeflare.ArchiveReport archiveBefore(Instant before, dev.stripeflare.LedgerArchive sink);

    // Grants of free credit (issue 13, ADR 33).
    //
    // Granted credit is part of the balance, tracked per grant. {@link #charge} spends it before
    // paid credit, grants in order of expiry (earliest first, grants without expiry last, then
    // oldest first), and before its balance check expires every grant of the account that has
    // reached its expiry at the debit's time. Refunds and disputes never take granted credit.
    // An account's ledger then always satisfies: balance == sum(ledger), granted == the ACTIVE
    // grants' remainders, and per grant granted == spent + remaining + ended.

    /**
     * Atomically gives free credit to an existing account, exactly once per operation id (its
     * own namespace, apart from payments): the balance and the granted credit grow by the amount
     * with a {@link dev.stripeflare.LedgerEntryKind#GRANT} entry whose operation id is the grant's
     * and whose memo is its reason. A repeated operation id answers {@code DUPLICATE} (naming the
     * account and cents it granted), an unknown or deleted account {@code NO_SUCH_ACCOUNT}; both
     * change nothing.
     *
     * @param grant the grant to give
     * @return the grant, and whether this call gave it
     * @throws InvalidAmountException if the balance would overflow a {@code long}; nothing changed
     */
    GrantChange grant(CreditGrant grant);

    /**
     * Atomically ends one ACTIVE grant: its remainder leaves the balance with a
     * {@link dev.stripeflare.LedgerEntryKind#GRANT_VOIDED} entry (none when the remainder is 0) and
     * it becomes {@code VOIDED}. What was spent of it stays spent. A grant not in that account
     * answers {@code NOT_FOUND}, an expired or voided one {@code ENDED}; both change nothing.
     *
     * @param grantVoid which grant to end, and why
     * @return the grant, and what was voided
     */
    GrantChange voidGrant(GrantVoid grantVoid);

    /**
     * Atomically expires the account's ACTIVE grants whose expiry is at or before {@code at}: each
     * remainder leaves the balance with a {@link dev.stripeflare.LedgerEntryKind#GRANT_EXPIRED}
     * entry (operation id the grant's; none when it is 0) and the grant becomes {@code EXPIRED}.
     *
     * @return the grants expired, earliest expiry first; empty when none was due or there is no
     *         such account
     * @param userId the account's id
     * @param at     the time grants due at or before it expire
     */
    List<ExpiredGrant> expireGrants(long userId, Instant at);

    /**
     * Expires, as {@link #expireGrants(long, Instant)} does, the due grants of every account; each
     * account in its own atomic step. For a host's maintenance job; never called by a store itself.
     *
     * @return the grants expired
     * @param at the time grants due at or before it expire
     */
    List<ExpiredGrant> expireGrants(Instant at);

    /**
     * Every grant the account was given, oldest first; empty for an unknown or deleted account.
     *
     * @param userId the account's id
     * @return the grants, oldest first
     */
    List<Grant> grants(long userId);

    // Accounts for visitors who have not paid (issue 13, ADR 33 addendum): opened at their first
    // charge when the wallet gives allowances to visitors.

    /**
     * Atomically makes sure {@code tokenHash} opens an account: when it opens one already, answers
     * {@code EXISTING} with its id and changes nothing; when it was revoked (rotated away, or its
     * account deleted), answers {@code REVOKED} and changes nothing — a revoked hash never opens an
     * account again, so a deleted account is never resurrected through an old token; otherwise
     * creates an account with a zero balance, an empty ledger and no profile, which the hash
     * opens ({@code CREATED}). Of any number of concurrent calls with one new hash (and concurrent
     * {@link #credit credits} through it), exactly one account is created and every call names it.
     * Moves no money: the caller gives credit afterwards through {@link #grant}, exactly once per
     * operation id. The caller authenticates the token; the store checks only the hash's form.
     *
     * <p>The default refuses: stores written before this step do not support visitor accounts.
     *
     * @param tokenHash a token hash in the form {@link TokenHashes} defines
     * @param at        the new account's creation time
     * @return what happened, and the account the token hash opens
     * @throws IllegalArgumentException      if {@code tokenHash} is not 43 base64url characters;
     *                                       nothing changed
     * @throws UnsupportedOperationException if the store cannot open accounts for visitors
     */
    default OpenedAccount openAccount(String tokenHash, Instant at) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot open accounts for visitors");
    }

    // Holds (issue 14, ADR 34). Default methods, so stores written before holds still compile:
    // such a store holds nothing, and reserving or capturing through it is refused.
    //
    // A hold reserves part of an account's balance; the account keeps the sum of its ACTIVE
    // holds' reservations (heldCents) and their earliest expiry. {@link #charge} without overdraft
    // checks balance - held (not the balance) and, when that fails, first releases the account's
    // holds due at the debit's time. Every hold step locks the account as a charge does.

    /**
     * Atomically: when the reservation's key already made a hold of this account, answer it
     * ({@code REPLAYED}); else release the account's holds due at {@code at}, check that the
     * available balance (balance − held) covers the amount, and record an ACTIVE hold
     * ({@code RESERVED}). {@code NOT_REGISTERED} and {@code INSUFFICIENT_BALANCE} record nothing.
     * Moves no money and writes no ledger entry; the hold is listed by {@link #holds}.
     *
     * @param reservation the account (by token hash or user id), amount, overdraft flag, optional
     *                    key and memo, expiry and time of the step
     * @return {@code RESERVED} or {@code REPLAYED} with the hold; {@code INSUFFICIENT_BALANCE}
     *         (with the account's balance and available cents) or {@code NOT_REGISTERED} without
     *         one; {@link HoldChange#availableAfterCents()} is the account's available balance after
     *         the step
     * @throws dev.stripeflare.IdempotencyKeyReusedException if the key made a hold of another amount
     */
    default HoldChange reserve(Reservation reservation) {
        throw new UnsupportedOperationException(getClass().getName() + " has no holds");
    }

    /**
     * Atomically brings the hold's captured total to {@link HoldCapture#totalCents()}: charges
     * the difference (a {@link dev.stripeflare.LedgerEntryKind#CHARGE} entry with operation id
     * {@code hold:<id>} and the hold's memo; spends grants first like a charge), lowers what the
     * hold reserves, and when {@link HoldCapture#close()} closes it as {@code CAPTURED}, releasing
     * the rest. Outcomes: {@code CAPTURED}; {@code REPLAYED} for a total already captured (final
     * or not, on a hold closed by a capture to that same total, or a step at or below the
     * captured total); {@code EXPIRED} for an ACTIVE hold due at {@code at} (released in this
     * step) or one already expired; {@code CLOSED} for a closed hold otherwise;
     * {@code NOT_FOUND}; {@code EXCEEDS_HOLD} for a total above the amount without overdraft;
     * {@code BELOW_CAPTURED} for a final total below the captured one; {@code INSUFFICIENT_BALANCE}
     * when, without overdraft, the balance less the account's other holds does not cover the
     * difference. Every outcome but {@code CAPTURED} and {@code EXPIRED} changes nothing.
     *
     * @param capture the hold, the captured total wanted, whether to close it, and the time
     * @return the outcome, the hold after the step (null for {@code NOT_FOUND}), the cents this
     *         step charged (0 for every outcome but {@code CAPTURED}) and the account's balance and
     *         available balance after it
     * @throws dev.stripeflare.InvalidAmountException if the balance would overflow
     */
    default HoldChange capture(HoldCapture capture) {
        throw new UnsupportedOperationException(getClass().getName() + " has no holds");
    }

    /**
     * Atomically releases an ACTIVE hold ({@code RELEASED}); a released one answers
     * {@code REPLAYED}, a captured one {@code CLOSED}, one due or expired {@code EXPIRED} (expired in
     * this step when due), an unknown one {@code NOT_FOUND}. A release never charges.
     *
     * @param holdId the hold
     * @param at     the time to record, and against which the hold's expiry is checked
     * @return the outcome and the hold after the step (null for {@code NOT_FOUND}), with 0
     *         charged and the account's balance and available balance after it
     */
    default HoldChange release(long holdId, Instant at) {
        throw new UnsupportedOperationException(getClass().getName() + " has no holds");
    }

    /**
     * Atomically expires the account's ACTIVE holds whose expiry is at or before {@code at}.
     *
     * @param userId the account's id
     * @param at     the time to compare expiries with, and recorded as their closing time
     * @return the holds expired, as they are now; empty when none was due or there is no account
     */
    default List<dev.stripeflare.HoldState> expireHolds(long userId, Instant at) {
        return List.of();
    }

    /**
     * Expires, as {@link #expireHolds(long, Instant)}, the due holds of every account, each in its own step.
     *
     * @param at the time to compare expiries with, and recorded as their closing time
     * @return every hold expired by this call, as it is now; empty when none was due
     */
    default List<dev.stripeflare.HoldState> expireHolds(Instant at) {
        return List.of();
    }

    /**
     * Every hold of the account, oldest first; empty for an unknown or deleted account.
     *
     * @param userId the account's id
     * @return the account's holds, active and closed, as stored (this call expires nothing)
     */
    default List<dev.stripeflare.HoldState> holds(long userId) {
        return List.of();
    }

    /**
     * The hold with this id, if it exists and its account does.
     *
     * @param holdId the hold's id
     * @return the hold as stored (this call expires nothing); empty for an unknown hold, one whose
     *         account was deleted, or one the store no longer keeps
     */
    default Optional<dev.stripeflare.HoldState> findHold(long holdId) {
        return Optional.empty();
    }
}
