package dev.stripeflare.tck;

import dev.stripeflare.spi.ExpiredGrant;
import dev.stripeflare.spi.GrantChange;
import dev.stripeflare.tck.BankReport.Invariant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bank test's record of grants (ADR 33): what each grant call was told, for {@link BankAudit}
 * to reconcile with the store's grants and ledgers. Thread-safe.
 */
final class BankGrants {

    /** A grant as asked. */
    record Asked(String operationId, long userId, long cents) { }

    /** Every grant that a call was told it applied: operation id to (account, cents). */
    final Map<String, Asked> applied = new ConcurrentHashMap<>();
    /** Every answer to a grant whose operation id had been asked before, with what was asked. */
    final List<Object[]> duplicates = Collections.synchronizedList(new ArrayList<>());
    /** Grants answered "no such account": their accounts must have been deleted. */
    final List<Asked> noAccount = Collections.synchronizedList(new ArrayList<>());
    /** Cents each grant was told ended (voided or expired), by operation id; an end is told once. */
    final Map<String, Long> ended = new ConcurrentHashMap<>();

    void granted(BankModel model, Asked asked, GrantChange result) {
        switch (result.status()) {
            case APPLIED -> {
                if (applied.putIfAbsent(asked.operationId(), asked) != null) {
                    model.violation(Invariant.GRANTS, "grant " + asked.operationId() + " applied twice");
                }
            }
            case DUPLICATE -> duplicates.add(new Object[] {asked, result});
            // A deletion may have committed without its caller having recorded it yet: the audit
            // checks, once every answer is in, that the account was indeed deleted.
            case NO_SUCH_ACCOUNT -> noAccount.add(asked);
            default -> model.violation(Invariant.GRANTS, "grant " + asked.operationId() + " answered " + result);
        }
    }

    void ended(BankModel model, String operationId, long cents) {
        if (ended.putIfAbsent(operationId, cents) != null) {
            model.violation(Invariant.GRANTS, "grant " + operationId + " was told ended twice");
        }
    }

    void expired(BankModel model, List<ExpiredGrant> expired) {
        for (ExpiredGrant grant : expired) {
            ended(model, grant.operationId(), grant.expiredCents());
        }
    }
}
