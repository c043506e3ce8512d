package dev.clearance.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of a PostgreSQL change announcement: {@code seq TAB kind TAB at TAB subject}, the whole
 * change, so a follower can apply it without reading the {@code changes} table (a new policy
 * version reaches the node in the announcement itself). A change too large for a NOTIFY payload is
 * announced by its sequence number alone, as the previous release announced every change; a reader
 * that meets one looks in the table.
 */
final class ChangePayload {
    /** PostgreSQL refuses payloads of 8000 bytes or more. */
    static final int MAX_BYTES = 7999;

    private ChangePayload() {}

    static String write(Change change) {
        String full = change.sequence() + "\t" + change.kind() + "\t" + change.at() + "\t" + change.subject();
        return full.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES ? full : Long.toString(change.sequence());
    }

    /** The changes these payloads announce; incomplete when any payload does not carry its change. */
    static JdbcDatabase.Announcement read(List<String> payloads) {
        List<Change> changes = new ArrayList<>(payloads.size());
        for (String payload : payloads) {
            Change c = parse(payload);
            if (c == null) {
                return JdbcDatabase.Announcement.LOOK;
            }
            changes.add(c);
        }
        return new JdbcDatabase.Announcement(changes, true);
    }

    /** The change a payload carries, or null when it carries only a sequence number (or is not ours). */
    static Change parse(String payload) {
        String[] parts = payload == null ? new String[0] : payload.split("\t", 4);
        if (parts.length != 4) {
            return null;
        }
        try {
            return new Change(Long.parseLong(parts[0]), parts[1], parts[3], Instant.parse(parts[2]));
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }
}
