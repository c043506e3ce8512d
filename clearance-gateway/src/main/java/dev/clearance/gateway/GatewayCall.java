package dev.clearance.gateway;

import dev.clearance.core.Request;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * One API call as it moves through the {@link Pipeline}. Each stage hands the next a copy carrying
 * what it learned; fields later stages fill are null until then.
 *
 * @param id      the call's decision id, sent back in {@code clearance-decision-id} on every response
 * @param claims  facts the caller's token carries, set with the principal id by the authenticate stage
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
        ClaimedFacts claims,
        Callers.Resolved caller,
        RequestBody body,
        Request request,
        Enforcement.Ruling ruling) {

    static GatewayCall start(ServerRequest http, ServerResponse response, ApiStyle style, String endpoint, String id) {
        return new GatewayCall(http, response, style, endpoint, id, null, ClaimedFacts.NONE, null, null, null, null);
    }

    GatewayCall withPrincipalId(String p) {
        return withIdentity(new Authenticator.Identity(p, ClaimedFacts.NONE));
    }

    GatewayCall withIdentity(Authenticator.Identity who) {
        return new GatewayCall(
                http, response, style, endpoint, id, who.principalId(), who.claims(), caller, body, request, ruling);
    }

    GatewayCall withCaller(Callers.Resolved c) {
        return new GatewayCall(http, response, style, endpoint, id, principalId, claims, c, body, request, ruling);
    }

    GatewayCall withBody(RequestBody b) {
        return new GatewayCall(http, response, style, endpoint, id, principalId, claims, caller, b, request, ruling);
    }

    GatewayCall withRequest(Request r) {
        return new GatewayCall(http, response, style, endpoint, id, principalId, claims, caller, body, r, ruling);
    }

    GatewayCall withRuling(Enforcement.Ruling r) {
        return new GatewayCall(http, response, style, endpoint, id, principalId, claims, caller, body, request, r);
    }
}
