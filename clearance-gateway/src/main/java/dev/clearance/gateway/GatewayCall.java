package dev.clearance.gateway;

import dev.clearance.core.Request;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * One API call as it moves through the {@link Pipeline}. Each stage hands the next a copy carrying
 * what it learned; fields later stages fill are null until then.
 *
 * @param id      the call's decision id, sent back in {@code clearance-decision-id} on every response
 * @param caller  set by the principal stage
 * @param body    set by the body stage (null for calls without a body)
 * @param request the decision input, set by the context stage
 * @param ruling  the decision and its record under way, set by the decide stage
 */
record GatewayCall(
        ServerRequest http,
        ServerResponse response,
        ApiStyle style,
        String endpoint,
        String id,
        String principalId,
        Callers.Resolved caller,
        RequestBody body,
        Request request,
        Enforcement.Ruling ruling) {

    static GatewayCall start(ServerRequest http, ServerResponse response, ApiStyle style, String endpoint, String id) {
        return new GatewayCall(http, response, style, endpoint, id, null, null, null, null, null);
    }

    GatewayCall withPrincipalId(String p) {
        return new GatewayCall(http, response, style, endpoint, id, p, caller, body, request, ruling);
    }

    GatewayCall withCaller(Callers.Resolved c) {
        return new GatewayCall(http, response, style, endpoint, id, principalId, c, body, request, ruling);
    }

    GatewayCall withBody(RequestBody b) {
        return new GatewayCall(http, response, style, endpoint, id, principalId, caller, b, request, ruling);
    }

    GatewayCall withRequest(Request r) {
        return new GatewayCall(http, response, style, endpoint, id, principalId, caller, body, r, ruling);
    }

    GatewayCall withRuling(Enforcement.Ruling r) {
        return new GatewayCall(http, response, style, endpoint, id, principalId, caller, body, request, r);
    }
}
