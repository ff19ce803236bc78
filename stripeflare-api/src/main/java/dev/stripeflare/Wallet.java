package dev.stripeflare;

import java.util.List;
import java.util.Optional;

/**
 * A prepaid wallet per user, topped up through Stripe and charged in-process.
 *
 * <p>A {@code Wallet} is thread-safe and meant to be shared: create one per application (with
 * {@code dev.stripeflare.core.Stripeflare.builder()}) and use it from every request thread.
 * Closing it closes its store.
 *
 * <p>Money is always a {@code long} number of cents in the wallet's one currency. Every balance
 * change is atomic and appends an immutable {@link LedgerEntry} in the same step, so a user's
 * balance always equals the sum of their ledger. Unless a method says otherwise, a method that
 * throws changed no balance and recorded nothing.
 *
 * <p>Tokens: an access token is a secret bearer credential (a cookie or {@code Authorization:
 * Bearer} value). Several tokens (devices) can open one account. The wallet stores only hashes
 * of tokens; no method ever returns a token it was not given, except {@link #session} (a newly
 * minted one) and {@link #rotateToken} (the replacement).
 */
public interface Wallet extends AutoCloseable {

    /**
     * Resolves who presents {@code presentedTokenOrNull}: the account its token opens, if any. A
     * token this wallet minted stays the visitor's token even before they pay (nothing is stored
     * until then); a missing, malformed or forged token — one that does not authenticate as
     * minted by this wallet, or a legacy token that opens no account — is replaced by a newly
     * minted one ({@link Session#isNew()}). Never writes.
     *
     * @param presentedTokenOrNull the cookie or bearer token, or null when there is none
     * @return the session: resolved, or with a newly minted token
     * @throws StoreException if the store fails
     */
    Session session(String presentedTokenOrNull);

    /**
     * The account {@code accessToken} opens; empty for a malformed, unknown or revoked
     * (rotated-away, deleted) token.
     *
     * @param accessToken the token
     * @return the account, or empty
     * @throws NullPointerException if {@code accessToken} is null
     * @throws StoreException       if the store fails
     */
    Optional<User> lookupUser(String accessToken);

    /**
     * Charges {@code amountCents} without overdraft; same as
     * {@code charge(ChargeRequest.of(accessToken, amountCents))}.
     *
     * @param accessToken the token to charge
     * @param amountCents the amount, in cents
     * @return the outcome and the balance after it
     * @throws NullPointerException   if {@code accessToken} is null
     * @throws InvalidAmountException if {@code amountCents <= 0}; nothing changed
     * @throws StoreException         if the store fails; nothing changed
     */
    ChargeResult charge(String accessToken, long amountCents);

    /**
     * Atomically checks the balance and debits it, writing a ledger entry and (when the request
     * has one) recording its idempotency key in the same step. An unknown or malformed token
     * answers {@link ChargeOutcome#NOT_REGISTERED}; a balance too low answers
     * {@link ChargeOutcome#INSUFFICIENT_BALANCE}; both change nothing. A key that already charged
     * this account within the wallet's idempotency window (24 h by default, see
     * {@link #maintain}) answers {@link ChargeOutcome#REPLAYED} and charges nothing; after the
     * window the key charges again. Only charges that
     * succeed record their key, so a declined charge may be retried under the same key.
     *
     * <p>With an allowance, the account's first charge in each period first gives it the period's
     * allowance (exactly once). With allowances for visitors, a token this wallet minted that opens
     * no account (and was never revoked) gets an account opened for it, with that allowance, even
     * when the charge is then declined; charge only tokens the client presented, never one minted
     * for the same request (the servlet filter does not).
     *
     * @param request the charge
     * @return the outcome and the balance after it
     * @throws IdempotencyKeyReusedException if the key charged this account a different amount;
     *                                       nothing changed
     * @throws InvalidAmountException        if the debit would overflow; nothing changed
     * @throws StoreException                if the store fails; nothing changed
     */
    ChargeResult charge(ChargeRequest request);

    /**
     * Verifies and applies one Stripe webhook delivery; the only way money enters the wallet.
     * Never throws for bad input: every problem is an outcome with the HTTP status to answer.
     * Applying an event is exactly-once: a redelivered event, or a second event for the same
     * payment, answers {@link WebhookOutcome#DUPLICATE} and changes nothing. A 2xx result means
     * the change is committed (durably, as far as the store promises).
     *
     * @param payload               the raw request body, exactly as received
     * @param stripeSignatureHeader the {@code Stripe-Signature} header, or null when absent
     * @return the outcome and the HTTP status to answer Stripe
     */
    WebhookResult handleWebhookPayload(String payload, String stripeSignatureHeader);

    /**
     * Completes the return of the browser that paid a checkout: the Payment Link's
     * after-completion redirect ({@code …/checkout-return?session_id={CHECKOUT_SESSION_ID}})
     * brings the payer's browser back with the checkout session id. With login by payment on
     * ({@code loginByPayment(true)} on the builder), the id presented together with the token
     * whose payment link was paid gives that token access
     * to the account the payment went to (login by payment): once, within the wallet's claim
     * window, and only for a token that is not revoked and opens no other account. Money never
     * depends on this call: the webhook credits the payer's account whether or not the browser
     * returns. Works whichever arrives first: before the webhook, the return is recorded
     * ({@link CheckoutOutcome#PENDING}) and the credit attaches the token.
     *
     * <p>Whoever opened the Payment Link also knows the id (it is in the checkout page's URL), so
     * with login by payment on, a checkout page someone else sent must never be paid (README,
     * "Security model"). With it off (the default) a checkout only ever credits its token's own
     * account and this method writes nothing: it answers {@link CheckoutOutcome#ALREADY_LINKED}
     * when the token opens an account, else {@link CheckoutOutcome#PENDING}.
     *
     * <p>A token that is malformed, or forged (not minted by this wallet), answers
     * {@link CheckoutOutcome#REFUSED} without reading the store. Only {@code LINKED} and
     * {@code PENDING} with login by payment on change anything.
     *
     * @param accessToken       the token the returning browser presents (its cookie)
     * @param checkoutSessionId the {@code session_id} of the redirect
     * @return the outcome and, when linked, the account
     * @throws NullPointerException              if an argument is null
     * @throws InvalidCheckoutSessionIdException if the id is not {@code cs_} followed by 1 to 250
     *                                           of {@code [A-Za-z0-9_]}; nothing changed
     * @throws StoreException                    if the store fails; nothing changed
     */
    CheckoutResult completeCheckout(String accessToken, String checkoutSessionId);

    /**
     * Replaces {@code accessToken} with a newly minted token, atomically. The account's id,
     * balance, ledger, custom fields and its other devices' tokens are untouched; only the
     * presented token stops working.
     *
     * @return the new token
     * @param accessToken the token to replace
     * @throws NullPointerException  if {@code accessToken} is null
     * @throws UnknownTokenException if the token belongs to no registered user; nothing changed
     * @throws StoreException        if the store fails; nothing changed
     */
    String rotateToken(String accessToken);

    /**
     * The Payment Link for {@code accessToken}: the configured link with
     * {@code ?client_reference_id=} the token's encrypted reference appended.
     *
     * @param accessToken the token
     * @return the Payment Link URL with its {@code client_reference_id}
     * @throws NullPointerException if {@code accessToken} is null
     */
    String paymentLink(String accessToken);

    /**
     * The account's ledger, oldest first; empty for an unknown token.
     *
     * @param accessToken the token
     * @return the entries, oldest first
     * @throws NullPointerException if {@code accessToken} is null
     * @throws StoreException       if the store fails
     */
    List<LedgerEntry> ledger(String accessToken);

    /**
     * Closes the store. Every call after {@code close()} fails with {@link StoreException},
     * including those that would not read the store ({@link #session}, {@link #paymentLink}).
     */
    @Override
    void close();

    // Unclaimed payments and the start-up check (issue 11 items 3 and 9, ADR 31).

    /**
     * Every paid checkout the wallet could not credit (see {@link UnclaimedPayment.Reason}), open
     * or already resolved, oldest first. An operator assigns an open one to the payer's account
     * ({@link #assignUnclaimedPayment}) or refunds it in Stripe's Dashboard and records that
     * ({@link #markUnclaimedPaymentRefunded}).
     *
     * @return the payments, oldest first
     * @throws StoreException if the store fails
     */
    List<UnclaimedPayment> unclaimedPayments();

    /**
     * Credits an open unclaimed payment to account {@code userId}, exactly once, with a
     * {@link LedgerEntryKind#PAYMENT} ledger entry; its later refunds and disputes are taken from
     * that account like any payment's. Of several concurrent assignments (or refund markings) of
     * one payment exactly one succeeds. The wallet never converts currencies: a payment in another
     * currency than the wallet's is refused ({@code OTHER_CURRENCY}); refund it instead.
     *
     * @param unclaimedId  the payment's id (its checkout session id, {@code cs_…})
     * @param userId       the account to credit
     * @param operatorNote why, for the record (e.g. the support ticket), or null
     * @return the payment, now {@code ASSIGNED}
     * @throws NullPointerException       if {@code unclaimedId} is null
     * @throws UnclaimedPaymentException  if there is no such payment, it is already assigned or
     *                                    refunded, the account does not exist, or the payment is
     *                                    in another currency; nothing changed
     * @throws InvalidAmountException     if the balance would overflow; nothing changed
     * @throws StoreException             if the store fails; nothing changed
     */
    UnclaimedPayment assignUnclaimedPayment(String unclaimedId, long userId, String operatorNote);

    /**
     * Records that an open unclaimed payment was refunded to its payer (the refund itself is made
     * in Stripe's Dashboard), exactly once. Moves no money; the payment can then never be assigned.
     *
     * @return the payment, now {@code REFUNDED}
     * @param unclaimedId  the payment's id (its checkout session id, {@code cs_…})
     * @param operatorNote why, for the record, or null
     * @throws NullPointerException      if {@code unclaimedId} is null
     * @throws UnclaimedPaymentException if there is no such payment, or it is already assigned or
     *                                   refunded; nothing changed
     * @throws StoreException            if the store fails; nothing changed
     */
    UnclaimedPayment markUnclaimedPaymentRefunded(String unclaimedId, String operatorNote);

    /**
     * Asks Stripe's API whether the wallet is set up to be paid: the API key is accepted, the
     * Payment Link (when its id is configured) is active, is the configured link and is in the
     * wallet's currency, and a webhook endpoint is enabled for the events the wallet reads at the
     * API version it reads. Makes a few GET requests; reads and writes nothing else. Never throws
     * for what it finds: every problem is a failed check in the report.
     *
     * @return each check and its result
     */
    SelfCheckReport selfCheck();

    // Server-side account operations: for code that holds a user id, not a token (issue 13, ADR 32).

    /**
     * Charges account {@code userId} {@code amountCents} without overdraft, idempotency key or
     * memo; same as {@code chargeUser(UserChargeRequest.of(userId, amountCents))}. Code that may
     * run a charge twice (a retried job, an at-least-once queue) should use
     * {@link #chargeUser(UserChargeRequest)} with an idempotency key instead.
     *
     * @param userId      the account's id ({@link User#userId()})
     * @param amountCents the amount, in cents
     * @return the outcome and the balance after it
     * @throws InvalidAmountException if {@code amountCents <= 0}; nothing changed
     * @throws UnknownUserException   if no account has this id (never existed, or deleted);
     *                                nothing changed
     * @throws StoreException         if the store fails; nothing changed
     */
    ChargeResult chargeUser(long userId, long amountCents);

    /**
     * Charges the account named by its user id ({@link User#userId()}), for server code that
     * holds no access token: a scheduler, a queue consumer, an admin tool. The same guarantees as
     * {@link #charge(ChargeRequest)}: the balance check, the debit, its
     * {@link LedgerEntryKind#CHARGE} entry and the idempotency key's record are one atomic step;
     * a balance too low answers {@link ChargeOutcome#INSUFFICIENT_BALANCE} unless the request
     * allows overdraft; a key that already charged this account answers
     * {@link ChargeOutcome#REPLAYED} and charges nothing. Idempotency keys are the account's,
     * whichever way a charge named it: a key used by a charge through a token replays here too.
     *
     * <p><b>Give every charge from a queue or a retried job an idempotency key</b> derived from
     * the work it bills (the message id, the job run's id): at-least-once delivery redelivers
     * messages, and without a key each redelivery charges again; with one, a redelivery answers
     * {@code REPLAYED}.
     *
     * @param request the charge
     * @return the outcome and the balance after it
     * @throws UnknownUserException          if no account has this id (never existed, or
     *                                       deleted); nothing changed. A charge through a token
     *                                       answers {@code NOT_REGISTERED} instead, because a
     *                                       visitor who has not paid is normal; a job holding an
     *                                       id that names no account is not.
     * @throws IdempotencyKeyReusedException if the key charged this account a different amount;
     *                                       nothing changed
     * @throws InvalidAmountException        if the debit would overflow; nothing changed
     * @throws StoreException                if the store fails; nothing changed
     */
    ChargeResult chargeUser(UserChargeRequest request);

    /**
     * The account with this id, read through no token: its {@link User#clientReferenceId()} is
     * the empty string. Empty for an unknown or deleted id.
     *
     * @param userId the account's id
     * @return the account, or empty
     * @throws StoreException if the store fails
     */
    Optional<User> findUser(long userId);

    /**
     * The ledger of the account with this id, oldest first; empty for an unknown or deleted id.
     *
     * @param userId the account's id
     * @return the entries, oldest first; empty for an unknown id
     * @throws StoreException if the store fails
     */
    List<LedgerEntry> ledger(long userId);

    /**
     * Deletes the account (right to erasure), atomically: its balance, ledger, profile and
     * idempotency keys are gone and every one of its tokens stops opening anything at once —
     * {@link #session} treats them as visitors' tokens, {@link #charge(ChargeRequest)} answers
     * {@code NOT_REGISTERED}. The Stripe ids the wallet applied stay recorded (without personal
     * data), so a late redelivery of one of its payments is still a
     * {@link WebhookOutcome#DUPLICATE} and never opens a new account; a new payment through one
     * of its old links credits nothing it could open. Whatever the account still held is not
     * refunded: refund it in Stripe first if it is owed. A listener hears
     * {@code onUserDeleted}.
     *
     * @return false, changing nothing, if no account has this id (already deleted, or never
     *         existed): deleting twice is safe
     * @param userId the account's id
     * @throws StoreException if the store fails; nothing changed
     */
    boolean deleteUser(long userId);

    /**
     * Adjusts a balance by hand, for support work, without overdraft: same as
     * {@code adjust(userId, signedCents, reason, operationId, false)}.
     *
     * @param userId      the account's id
     * @param signedCents the change, in cents: positive credits, negative debits
     * @param reason      why, for the ledger
     * @param operationId what makes the adjustment exactly-once
     * @return the outcome and the balance after it
     */
    AdjustmentResult adjust(long userId, long signedCents, String reason, String operationId);

    /**
     * Changes the balance of account {@code userId} by {@code signedCents} — positive to credit
     * (a goodwill refund of usage), negative to debit (a correction) — exactly once per
     * {@code operationId} (a support ticket's id, say), with a {@link LedgerEntryKind#ADJUSTMENT}
     * ledger entry whose memo is {@code reason}. The change, its entry and the operation id's
     * record are one atomic step. Repeating an operation id with the same account and amount
     * answers {@link AdjustmentOutcome#REPLAYED} and changes nothing. A negative adjustment that
     * would take the balance below zero answers {@link AdjustmentOutcome#INSUFFICIENT_BALANCE}
     * and changes nothing unless {@code allowNegativeBalance}. Operation ids of adjustments are
     * their own namespace: they never collide with idempotency keys or Stripe ids. A listener
     * hears {@code onAdjusted} (and {@code onLowBalance} when it crossed a threshold).
     *
     * @param reason      why, for the ledger: not blank, at most 500 characters
     * @param operationId what makes the adjustment exactly-once; the rules of an idempotency key
     * @param userId               the account's id
     * @param signedCents          the change, in cents: positive credits, negative debits
     * @param allowNegativeBalance whether a debit may take the balance below zero
     * @return the outcome and the balance after it
     * @throws NullPointerException           if {@code reason} or {@code operationId} is null
     * @throws InvalidAmountException         if {@code signedCents} is 0, or the balance would
     *                                        overflow; nothing changed
     * @throws InvalidAdjustmentException     if {@code reason} is blank or too long; nothing changed
     * @throws InvalidIdempotencyKeyException if {@code operationId} is blank, too long or holds a
     *                                        control character; nothing changed
     * @throws UnknownUserException           if no account has this id; nothing changed
     * @throws IdempotencyKeyReusedException  if the operation id already adjusted another account
     *                                        or by another amount; nothing changed
     * @throws StoreException                 if the store fails; nothing changed
     */
    AdjustmentResult adjust(long userId, long signedCents, String reason, String operationId,
                            boolean allowNegativeBalance);

    /**
     * Prunes, in small batches until nothing more is due, what has outlived the wallet's
     * retention (see {@code Stripeflare.Builder#retention}): idempotency keys after their
     * window, operation ids, checkout rows and deferred reversals after the operation retention
     * (a deferred reversal dropped this way is logged as a WARNING), payment rows after the
     * payment retention. Never changes a balance or a ledger. Meant to be scheduled by the host
     * (e.g. every few minutes); the wallet also does one small batch on every N-th write.
     *
     * @return what was removed
     * @throws StoreException if the store fails; batches done before stay done
     */
    MaintenanceReport maintain();

    /**
     * Rolls up ledger entries made before {@code before}: each account's oldest entries before
     * that instant are handed to {@code sink} and replaced by one
     * {@link LedgerEntryKind#OPENING_BALANCE} entry of their sum, atomically per account (see
     * {@link dev.stripeflare.spi.UserStore#archiveBefore}). Balances do not change, and each
     * balance still equals the sum of its ledger.
     *
     * @param before entries older than this are archived
     * @param sink   receives each account's archived entries
     * @return what was archived
     * @throws NullPointerException if an argument is null
     * @throws StoreException       if the store fails; accounts rolled up before stay so
     */
    ArchiveReport archiveBefore(java.time.Instant before, LedgerArchive sink);

    // Grants of free credit (issue 13, ADR 33).

    /**
     * Gives free credit to account {@code request.userId()}, exactly once per operation id: the
     * balance grows with a {@link LedgerEntryKind#GRANT} entry. Granted credit is spent before paid
     * credit (earliest expiry first, grants without expiry last); at its expiry the unspent
     * remainder leaves the balance with a {@link LedgerEntryKind#GRANT_EXPIRED} entry — applied on
     * the account's next charge or read through the wallet, or by {@link #expireGrants()}. Refunds
     * and disputes never take granted credit. A listener hears {@code onGranted} after the grant
     * committed (not for a replay).
     *
     * @return whether this call gave it ({@code applied}) or an earlier call with the same operation
     *         id did (a replay; nothing changed), and the account's balance and granted credit
     * @param request the grant
     * @throws NullPointerException   if {@code request} is null
     * @throws UnknownUserException   if no account has the user id; nothing changed
     * @throws InvalidGrantException  if the expiry is not after the wallet's clock, or the operation
     *                                id already gave a grant to another account or of another
     *                                amount; nothing changed
     * @throws InvalidAmountException if the balance would overflow; nothing changed
     * @throws StoreException         if the store fails; nothing changed
     */
    GrantResult grant(GrantRequest request);

    /**
     * Ends one grant early: its unspent remainder leaves the balance with a
     * {@link LedgerEntryKind#GRANT_VOIDED} entry (memo {@code memo}); what was spent stays spent.
     * Of a void racing charges, each cent of the grant is either spent or voided, never both. A
     * listener hears {@code onGrantExpired} with {@code voided} set.
     *
     * @return the cents voided, possibly 0 (all of it was spent)
     * @param userId           the account's id
     * @param grantOperationId the operation id the grant was given under
     * @param memo             why, for the ledger
     * @throws NullPointerException  if {@code grantOperationId} is null
     * @throws UnknownUserException  if no account has the user id; nothing changed
     * @throws InvalidGrantException if the account has no grant under that operation id, or it
     *                               already expired or was voided; nothing changed
     * @throws StoreException        if the store fails; nothing changed
     */
    long voidGrant(long userId, String grantOperationId, String memo);

    /**
     * Every grant account {@code userId} was given, oldest first, after expiring those that are
     * due; empty for an unknown account.
     *
     * @param userId the account's id
     * @return its grants, with what is left, spent and ended
     * @throws StoreException if the store fails
     */
    List<Grant> grants(long userId);

    /**
     * Expires every grant that has reached its expiry by the wallet's clock, in every account:
     * for a host's own scheduled maintenance (the wallet runs no thread for it; without it, an
     * expiry is applied at the account's next charge or read through the wallet). Each account's
     * expiries are one atomic step; listeners hear {@code onGrantExpired} for each.
     *
     * @return how many grants expired
     * @throws StoreException if the store fails; the accounts done before it stay done
     */
    int expireGrants();
    // Holds (issue 14, ADR 34): reserve before the work, capture what it really cost.

    /**
     * Reserves up to {@link HoldRequest#amountCents()} of an account's available balance
     * (balance − active holds) for {@link HoldRequest#timeToLive()}, in one atomic step. Charges
     * without overdraft and other holds then leave it alone, until it is captured, released or
     * expires. A key already used for a hold of this account answers that hold
     * ({@link HoldOutcome#REPLAYED}). Holds due to expire are released first.
     *
     * @param request the account (by token or user id), the most the work may cost, how long the
     *                hold lives, and optionally overdraft, an idempotency key and a memo; never null
     * @return {@code RESERVED} or {@code REPLAYED} with the hold; {@code INSUFFICIENT_BALANCE}
     *         or {@code NOT_REGISTERED} (a token or id that opens no account) with none
     * @throws IdempotencyKeyReusedException if the key already reserved another amount; nothing changed
     * @throws StoreException                if the store fails; nothing changed
     */
    ReserveResult reserve(HoldRequest request);

    /**
     * Closes the hold at its whole cost {@code totalCents}, atomically and exactly once: charges
     * what earlier {@link #captureSome steps} did not (one {@link LedgerEntryKind#CHARGE} entry
     * whose operation id is {@code hold:<id>}), and releases the rest. A retry of the same total
     * answers {@link HoldOutcome#REPLAYED}; another total on a closed hold {@link HoldOutcome#CLOSED};
     * a hold past its expiry {@link HoldOutcome#EXPIRED} (released, nothing captured); more than
     * reserved {@link HoldOutcome#EXCEEDS_HOLD} unless the hold allows overdraft.
     *
     * @param holdId     the hold's id ({@link Hold#holdId()}, {@link HoldState#holdId()})
     * @param totalCents the whole cost of the work in cents, including what earlier steps captured;
     *                   never negative
     * @return what the capture did: {@link HoldOutcome#CAPTURED} with the cents it charged and the
     *         hold now closed, or an outcome that charged nothing ({@code REPLAYED}, {@code CLOSED},
     *         {@code EXPIRED}, {@code EXCEEDS_HOLD}, {@code BELOW_CAPTURED},
     *         {@code INSUFFICIENT_BALANCE}, {@code NOT_FOUND} with no hold)
     * @throws InvalidAmountException if {@code totalCents < 0}, or the balance would overflow; nothing changed
     * @throws StoreException         if the store fails; nothing changed
     */
    HoldResult capture(long holdId, long totalCents);

    /**
     * Raises the hold's captured total to {@code capturedTotalCents}, charging the difference,
     * and keeps it open: for a response billed while it streams. Totals make retries safe: a
     * total at or below what is captured answers {@link HoldOutcome#REPLAYED}. Refusals as
     * {@link #capture}.
     *
     * @param holdId             the hold's id ({@link Hold#holdId()}, {@link HoldState#holdId()})
     * @param capturedTotalCents what the work cost so far in cents, in all (a running total, not
     *                           the step's increment); never negative
     * @return what the step did: {@link HoldOutcome#CAPTURED} with the cents it charged and the
     *         hold still active, or an outcome that charged nothing ({@code REPLAYED} and the
     *         refusals of {@link #capture})
     * @throws InvalidAmountException if {@code capturedTotalCents < 0}; nothing changed
     * @throws StoreException         if the store fails; nothing changed
     */
    HoldResult captureSome(long holdId, long capturedTotalCents);

    /**
     * Releases the hold: what it still reserves is available again; what it captured stays
     * charged. A second release answers {@link HoldOutcome#REPLAYED}, a release of a captured hold
     * {@link HoldOutcome#CLOSED}, of an expired one {@link HoldOutcome#EXPIRED}.
     *
     * @param holdId the hold's id ({@link Hold#holdId()}, {@link HoldState#holdId()})
     * @return {@link HoldOutcome#RELEASED} with the hold now closed, or {@code REPLAYED},
     *         {@code CLOSED}, {@code EXPIRED} or {@code NOT_FOUND}; a release never charges
     *         ({@link HoldResult#chargedCents()} is 0)
     * @throws StoreException if the store fails; nothing changed
     */
    HoldResult release(long holdId);

    /**
     * The account's holds, oldest first, after releasing those past their expiry; empty for an
     * unknown or deleted account.
     *
     * @param userId the account's id
     * @return every hold of the account, active and closed, as the store keeps them after this
     *         call's expiry step; durable stores keep closed holds until the account is deleted, the
     *         memory store each account's last 1 024 closed ones
     * @throws StoreException if the store fails
     */
    List<HoldState> holds(long userId);

    /**
     * Releases every hold past its expiry, each account in its own atomic step; for a host's
     * scheduled job ({@link #maintain()} runs it too).
     *
     * @return how many holds expired
     * @throws StoreException if the store fails; the accounts before the failure stay done
     */
    int expireHolds();
}
