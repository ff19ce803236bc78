package dev.stripeflare;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;

/**
 * A recurring free tier: {@code cents} of free credit per account per {@code period}, given as a
 * grant at the account's first charge in each period (no scheduler) and expiring at the period's
 * end. Periods are calendar periods in UTC: a day from midnight, a week from Monday, a month from
 * its first day. Immutable.
 *
 * @param cents  the credit given each period, strictly positive
 * @param period how often
 */
public record Allowance(long cents, Period period) {

    /** How often an allowance is given. */
    public enum Period {
        /** Each UTC day. */
        DAY,
        /** Each ISO week (Monday to Sunday, UTC). */
        WEEK,
        /** Each calendar month (UTC). */
        MONTH;

        /** The first day of the period that holds {@code day}. */
        LocalDate startOf(LocalDate day) {
            return switch (this) {
                case DAY -> day;
                case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case MONTH -> day.withDayOfMonth(1);
            };
        }

        /** The first day of the next period after the one that starts on {@code start}. */
        LocalDate nextAfter(LocalDate start) {
            return switch (this) {
                case DAY -> start.plusDays(1);
                case WEEK -> start.plusWeeks(1);
                case MONTH -> start.plusMonths(1);
            };
        }
    }

    /**
     * @throws InvalidAmountException if {@code cents} is not strictly positive
     * @throws NullPointerException   if {@code period} is null
     *
     * @param cents  the credit given each period, strictly positive
     * @param period how often
     */
    public Allowance {
        InvalidAmountException.requirePositive(cents, "cents");
        Objects.requireNonNull(period, "period");
    }

    /**
     * The first instant of the period holding {@code at}.
     *
     * @param at a time
     * @return the start of the period holding it
     */
    public Instant periodStart(Instant at) {
        return period.startOf(LocalDate.ofInstant(at, ZoneOffset.UTC)).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * The first instant after the period holding {@code at}: when that period's grant expires.
     *
     * @param at a time
     * @return the end of the period holding it (exclusive)
     */
    public Instant periodEnd(Instant at) {
        LocalDate start = period.startOf(LocalDate.ofInstant(at, ZoneOffset.UTC));
        return period.nextAfter(start).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * The operation id of account {@code userId}'s allowance for the period holding {@code at}:
     * the same for every charge in that period, so the store gives it exactly once.
     *
     * @param userId the account's id
     * @param at     a time in the period
     * @return the operation id the period's allowance is granted under
     */
    public String operationId(long userId, Instant at) {
        return "allowance:" + userId + ":" + period.name().toLowerCase(java.util.Locale.ROOT) + ":"
                + LocalDate.ofInstant(periodStart(at), ZoneOffset.UTC);
    }
}
