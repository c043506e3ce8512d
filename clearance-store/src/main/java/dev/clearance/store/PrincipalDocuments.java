package dev.clearance.store;

import dev.clearance.core.Json;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;

/**
 * The stored form of a principal: core's canonical JSON line (the import format). Screening
 * results are not part of it; the screening module keeps them in its own tables.
 */
final class PrincipalDocuments {
    private PrincipalDocuments() {}

    static String write(Principal p) {
        return Json.writePrincipal(p);
    }

    static Principal read(String json) {
        try {
            return Json.principal(json);
        } catch (PolicyException e) {
            // Written by write() above, so this means the row was edited or corrupted: fail loudly.
            throw new StoreException("a stored principal no longer parses: " + e.getMessage(), e);
        }
    }
}
