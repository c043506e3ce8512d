package dev.clearance.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the console writes an instant: to the second, in UTC, e.g. {@code 2026-11-26 12:00:05 UTC}. */
final class Times {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Times() {}

    static String of(Instant i) {
        return i == null ? "" : FORMAT.format(i);
    }
}
