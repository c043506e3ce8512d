package dev.clearance.store;

import java.util.Locale;

/**
 * Where a directive version is in its lifecycle: {@code draft -> approved -> active -> withdrawn}.
 * A version becomes active only by being part of an activated policy version.
 */
public enum DirectiveStatus {
    DRAFT,
    APPROVED,
    ACTIVE,
    WITHDRAWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DirectiveStatus fromWire(String s) {
        for (DirectiveStatus status : values()) {
            if (status.wireName().equals(s)) {
                return status;
            }
        }
        throw new StoreException("unknown directive status '" + s + "' (valid: draft, approved, active, withdrawn)");
    }
}
