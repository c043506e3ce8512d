package dev.clearance.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An authorisation held by a principal (an export license, a license exception, an internal
 * approval), valid in {@code [validFrom, validUntil)} for the models its globs match.
 *
 * @param models model globs; empty means every model
 */
public record License(String id, String type, List<String> models, Instant validFrom, Instant validUntil) {
    public License {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(validFrom, "valid_from");
        Objects.requireNonNull(validUntil, "valid_until");
        models = List.copyOf(models == null ? List.of() : models);
    }

    /** Valid at {@code time} and covering {@code model} (globs compared as {@link ModelName#matches} does). */
    public boolean covers(String model, Instant time) {
        if (time.isBefore(validFrom) || !time.isBefore(validUntil)) {
            return false;
        }
        if (models.isEmpty()) {
            return true;
        }
        for (String glob : models) {
            if (ModelName.matches(glob, model)) {
                return true;
            }
        }
        return false;
    }
}
