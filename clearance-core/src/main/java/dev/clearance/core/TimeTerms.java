package dev.clearance.core;

import static dev.clearance.core.CelShapes.isField;
import static dev.clearance.core.CelShapes.isGlobalCall;
import static dev.clearance.core.CelShapes.isPrincipalField;
import static dev.clearance.core.CelShapes.stringConstant;

import dev.cel.common.ast.CelExpr;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Constant timestamps and durations folded at compile time, and the integer-valued terms a shortcut
 * compares: {@code principal.identity_assurance}, the size of {@code principal.citizenships}, and
 * the calendar fields of {@code request.time} in UTC. A constant that CEL would reject or put out of
 * its range is not folded, so CEL evaluates (and reports) it.
 */
final class TimeTerms {
    private TimeTerms() {}

    /** An integer-valued term; it never errors. */
    @FunctionalInterface
    interface IntTerm {
        long get(PrincipalFacts principal, Request request);
    }

    /** CEL's timestamp range: years 0001 to 9999. */
    private static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** CEL's duration range, about ±10,000 years. */
    private static final Duration MAX_DURATION = Duration.ofSeconds(315_576_000_000L, 999_999_999);

    /** A duration literal of whole units, e.g. {@code 2h}, {@code 90m}, {@code 1h30m}, {@code 500ms}. */
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(h|ms|us|ns|m|s)");

    static boolean isConstantLike(CelExpr e) {
        return e.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT || timestamp(e) != null || duration(e) != null;
    }

    /**
     * {@code timestamp('2026-01-01T00:00:00Z')}, optionally plus or minus a {@link #duration}, within
     * CEL's range; else null.
     */
    static Instant timestamp(CelExpr e) {
        if (isGlobalCall(e, "timestamp", 1)) {
            String s = stringConstant(e.call().args().get(0));
            if (s == null) {
                return null;
            }
            try {
                return inRange(OffsetDateTime.parse(s).toInstant());
            } catch (DateTimeParseException ex) {
                return null;
            }
        }
        boolean plus = isGlobalCall(e, "_+_", 2);
        if (plus || isGlobalCall(e, "_-_", 2)) {
            CelExpr a = e.call().args().get(0);
            CelExpr b = e.call().args().get(1);
            Instant t = timestamp(a);
            Duration d = duration(b);
            if (t == null && plus) {
                t = timestamp(b);
                d = duration(a);
            }
            if (t == null || d == null) {
                return null;
            }
            return inRange(plus ? t.plus(d) : t.minus(d));
        }
        return null;
    }

    private static Instant inRange(Instant t) {
        return t.isBefore(MIN) || t.isAfter(MAX) ? null : t;
    }

    /** {@code duration('1h30m')} in whole units (h, m, s, ms, us, ns), within CEL's range; else null. */
    static Duration duration(CelExpr e) {
        if (!isGlobalCall(e, "duration", 1)) {
            return null;
        }
        String s = stringConstant(e.call().args().get(0));
        if (s == null || s.isEmpty()) {
            return null;
        }
        Matcher m = DURATION.matcher(s);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "h" -> Duration.ofHours(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "ms" -> Duration.ofMillis(n);
                        case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
                        default -> Duration.ofNanos(n);
                    });
            at = m.end();
        }
        return total.compareTo(MAX_DURATION) > 0 ? null : total;
    }

    /** {@code request.time - timestamp(...)}: the constant it measures from, else null. */
    static Instant elapsedSince(CelExpr e) {
        if (!isGlobalCall(e, "_-_", 2) || !isField(e.call().args().get(0), "request", "time")) {
            return null;
        }
        return timestamp(e.call().args().get(1));
    }

    /** An integer-valued term of a common shape, else null. */
    static IntTerm integer(CelExpr e) {
        if (isPrincipalField(e, "identity_assurance")) {
            return (p, q) -> p.principal().identityAssurance();
        }
        if (isGlobalCall(e, "size", 1) && isPrincipalField(e.call().args().get(0), "citizenships")) {
            return (p, q) -> p.principal().citizenships().size();
        }
        if (e.exprKind().getKind() != CelExpr.ExprKind.Kind.CALL
                || e.call().target().isEmpty()
                || !e.call().args().isEmpty()) {
            return null;
        }
        CelExpr target = e.call().target().get();
        String fn = e.call().function();
        if (fn.equals("size") && isPrincipalField(target, "citizenships")) {
            return (p, q) -> p.principal().citizenships().size();
        }
        if (!isField(target, "request", "time")) {
            return null;
        }
        // CEL's accessors without a time zone argument read the timestamp in UTC; the time of day
        // and the weekday are plain arithmetic on the epoch second.
        return switch (fn) {
            case "getFullYear" -> (p, q) -> utc(q).getYear();
            case "getMonth" -> (p, q) -> utc(q).getMonthValue() - 1;
            case "getDayOfYear" -> (p, q) -> utc(q).getDayOfYear() - 1;
            case "getDate" -> (p, q) -> utc(q).getDayOfMonth();
            case "getDayOfMonth" -> (p, q) -> utc(q).getDayOfMonth() - 1;
            // 1970-01-01 was a Thursday (4, counting Sunday as 0)
            case "getDayOfWeek" ->
                (p, q) -> Math.floorMod(Math.floorDiv(q.time().getEpochSecond(), DAY) + 4, 7);
            case "getHours" -> (p, q) -> Math.floorMod(q.time().getEpochSecond(), DAY) / 3600;
            case "getMinutes" -> (p, q) -> Math.floorMod(q.time().getEpochSecond(), 3600) / 60;
            case "getSeconds" -> (p, q) -> Math.floorMod(q.time().getEpochSecond(), 60);
            default -> null;
        };
    }

    private static final long DAY = 86_400;

    private static LocalDate utc(Request q) {
        return LocalDate.ofEpochDay(Math.floorDiv(q.time().getEpochSecond(), DAY));
    }
}
