package dev.clearance.gateway;

/**
 * Thrown by a pipeline stage to stop a call and answer the caller with a provider-shaped error.
 * Rejections are expected outcomes (a denied caller, a bad key), so they carry no stack trace.
 */
sealed class Rejection extends RuntimeException permits UpstreamFailure {
    private final GatewayError error;

    Rejection(GatewayError.Kind kind, String code, String message) {
        super(message, null, false, false);
        this.error = new GatewayError(kind, code, message);
    }

    GatewayError error() {
        return error;
    }
}
