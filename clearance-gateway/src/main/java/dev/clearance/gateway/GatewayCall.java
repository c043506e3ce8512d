package dev.clearance.gateway;

import dev.clearance.core.Request;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * One API call as it moves through the {@link Pipeline}. Each stage hands the next a copy carrying
 * what it learned; fields later stages fill are null (or 0) until then.
 *
 * @param id          the call's decision id, sent back in {@code clearance-decision-id} on every response
 * @param changesSeen how many caller and policy changes {@link LiveCalls} had counted before this call's
 *     credential and principal were read (set by the authenticate stage): a change after that re-decides
 *     the call
 * @param principalId set by the authenticate stage
 * @param claims      facts the caller's token carries, set with the principal id by the authenticate stage
 * @param caller      set by the principal stage
 * @param body        set by the body stage (null for calls without a body); after the route stage its
 *     model is the catalogue id that is decided and forwarded
 * @param route       the upstream, model id and query string that serve the call, set by the route stage
 * @param request     the decision input, set by the context stage
 * @param ruling      the decision and its record under way, set by the decide stage
 * @param live        the allowed call as registered for re-decision, set by the decide stage
 */
record GatewayCall(
        ServerRequest http,
        ServerResponse response,
        ApiStyle style,
        String endpoint,
        String id,
        long changesSeen,
        String principalId,
        ClaimedFacts claims,
        Callers.Resolved caller,
        RequestBody body,
        RouteCall.Route route,
        Request request,
        Enforcement.Ruling ruling,
        LiveCalls.LiveCall live) {

    static GatewayCall start(ServerRequest http, ServerResponse response, ApiStyle style, String endpoint, String id) {
        return new GatewayCall(
                http, response, style, endpoint, id, 0, null, ClaimedFacts.NONE, null, null, null, null, null, null);
    }

    GatewayCall withIdentity(Authenticator.Identity who, long changes) {
        return new GatewayCall(
                http,
                response,
                style,
                endpoint,
                id,
                changes,
                who.principalId(),
                who.claims(),
                caller,
                body,
                route,
                request,
                ruling,
                live);
    }

    GatewayCall withCaller(Callers.Resolved c) {
        return new GatewayCall(
                http,
                response,
                style,
                endpoint,
                id,
                changesSeen,
                principalId,
                claims,
                c,
                body,
                route,
                request,
                ruling,
                live);
    }

    GatewayCall withBody(RequestBody b) {
        return new GatewayCall(
                http,
                response,
                style,
                endpoint,
                id,
                changesSeen,
                principalId,
                claims,
                caller,
                b,
                route,
                request,
                ruling,
                live);
    }

    GatewayCall withRoute(RouteCall.Route r, RequestBody b) {
        return new GatewayCall(
                http,
                response,
                style,
                endpoint,
                id,
                changesSeen,
                principalId,
                claims,
                caller,
                b,
                r,
                request,
                ruling,
                live);
    }

    GatewayCall withRequest(Request r) {
        return new GatewayCall(
                http,
                response,
                style,
                endpoint,
                id,
                changesSeen,
                principalId,
                claims,
                caller,
                body,
                route,
                r,
                ruling,
                live);
    }

    GatewayCall withRuling(Enforcement.Ruling r, LiveCalls.LiveCall l) {
        return new GatewayCall(
                http,
                response,
                style,
                endpoint,
                id,
                changesSeen,
                principalId,
                claims,
                caller,
                body,
                route,
                request,
                r,
                l);
    }
}
