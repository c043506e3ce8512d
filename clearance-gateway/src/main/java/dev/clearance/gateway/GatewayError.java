package dev.clearance.gateway;

/**
 * An error the gateway answers itself (the upstream never saw the request, or could not be reached),
 * before it is put in a provider's shape by {@link ApiStyle}.
 *
 * @param code    a stable machine-readable code, e.g. {@code clearance_denied}
 * @param message a human message; for a denial it names the directives
 */
public record GatewayError(Kind kind, String code, String message) {

    /** What went wrong, with its HTTP status and the error type each provider uses for it. */
    public enum Kind {
        INVALID_REQUEST(400, "invalid_request_error", "invalid_request_error"),
        AUTHENTICATION(401, "invalid_request_error", "authentication_error"),
        PERMISSION(403, "permission_error", "permission_error"),
        NOT_FOUND(404, "invalid_request_error", "not_found_error"),
        TOO_LARGE(413, "invalid_request_error", "request_too_large"),
        INTERNAL(500, "server_error", "api_error"),
        BAD_GATEWAY(502, "upstream_error", "api_error"),
        /** This node cannot answer now but another node, or this one shortly, can: sent with {@code Retry-After}. */
        UNAVAILABLE(503, "server_error", "api_error");

        private final int status;
        private final String openAiType;
        private final String anthropicType;

        Kind(int status, String openAiType, String anthropicType) {
            this.status = status;
            this.openAiType = openAiType;
            this.anthropicType = anthropicType;
        }

        public int status() {
            return status;
        }

        public String openAiType() {
            return openAiType;
        }

        public String anthropicType() {
            return anthropicType;
        }
    }

    public int status() {
        return kind.status();
    }
}
