package dev.clearance.gateway.scim;

/**
 * A SCIM error response (RFC 7644 section 3.12): the HTTP status, the {@code scimType} for the 400s
 * that have one, and a detail naming what was wrong. Expected, so no stack trace.
 */
final class ScimError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String scimType;

    ScimError(int status, String scimType, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.scimType = scimType;
    }

    int status() {
        return status;
    }

    /** Null when the status has no SCIM type. */
    String scimType() {
        return scimType;
    }

    static ScimError invalidValue(String detail) {
        return new ScimError(400, "invalidValue", detail);
    }

    static ScimError invalidSyntax(String detail) {
        return new ScimError(400, "invalidSyntax", detail);
    }

    static ScimError invalidFilter(String detail) {
        return new ScimError(400, "invalidFilter", detail);
    }

    static ScimError notFound(String detail) {
        return new ScimError(404, null, detail);
    }
}
