package dev.clearance.gateway;

import dev.clearance.core.Request;

/**
 * One API call as it moves through the {@link Pipeline}. Each stage hands the next a copy carrying
 * what it learned (a call is never changed once handed on); fields later stages fill are null (or 0)
 * until then. What each holds:
 *
 * <ul>
 * <li>{@code id}: the call's decision id, sent back in {@code clearance-decision-id} on every response
 * <li>{@code changesSeen}: how many caller and policy changes {@link LiveCalls} had counted before this call's
 *     credential and principal were read (set by the authenticate stage): a change after that re-decides
 *     the call
 * <li>{@code principalId}: set by the authenticate stage
 * <li>{@code credential}: the API key or token the caller presented, with the principal id by the authenticate
 *     stage (read from the headers once; {@link LiveCalls} asks again whether it still proves the principal)
 * <li>{@code claims}: facts the caller's token carries, set with the principal id by the authenticate stage
 * <li>{@code caller}: set by the principal stage
 * <li>{@code body}: set by the body stage (null for calls without a body); after the route stage its
 *     model is the catalogue id that is decided and forwarded
 * <li>{@code route}: the upstream, model id and query string that serve the call, set by the route stage
 * <li>{@code request}: the decision input, set by the context stage (capabilities added by the content stage)
 * <li>{@code content}: what the content stage settled, set by it (null before, or on a pipeline without it)
 * <li>{@code ruling}: the decision and its record under way, set by the decide stage
 * <li>{@code live}: the allowed call as registered for re-decision, set by the decide stage
 * </ul>
 */
final class GatewayCall {
    private final ApiExchange exchange;
    private final ApiStyle style;
    private final String endpoint;
    private final String id;
    private long changesSeen;
    private String principalId;
    private String credential;
    private ClaimedFacts claims = ClaimedFacts.NONE;
    private Callers.Resolved caller;
    private RequestBody body;
    private RouteCall.Route route;
    private Request request;
    private ContentCheck content;
    private Enforcement.Ruling ruling;
    private LiveCalls.LiveCall live;

    private GatewayCall(ApiExchange exchange, ApiStyle style, String endpoint, String id) {
        this.exchange = exchange;
        this.style = style;
        this.endpoint = endpoint;
        this.id = id;
    }

    static GatewayCall start(ApiExchange exchange, ApiStyle style, String endpoint, String id) {
        return new GatewayCall(exchange, style, endpoint, id);
    }

    /** A copy to set what a stage learned on, before it is handed on. */
    private GatewayCall next() {
        GatewayCall c = new GatewayCall(exchange, style, endpoint, id);
        c.changesSeen = changesSeen;
        c.principalId = principalId;
        c.credential = credential;
        c.claims = claims;
        c.caller = caller;
        c.body = body;
        c.route = route;
        c.request = request;
        c.content = content;
        c.ruling = ruling;
        c.live = live;
        return c;
    }

    GatewayCall withIdentity(Authenticator.Identity who, long changes, String credential) {
        GatewayCall c = next();
        c.changesSeen = changes;
        c.principalId = who.principalId();
        c.credential = credential;
        c.claims = who.claims();
        return c;
    }

    GatewayCall withCaller(Callers.Resolved caller) {
        GatewayCall c = next();
        c.caller = caller;
        return c;
    }

    GatewayCall withBody(RequestBody body) {
        GatewayCall c = next();
        c.body = body;
        return c;
    }

    GatewayCall withRoute(RouteCall.Route route, RequestBody body) {
        GatewayCall c = next();
        c.route = route;
        c.body = body;
        return c;
    }

    GatewayCall withRequest(Request request) {
        GatewayCall c = next();
        c.request = request;
        return c;
    }

    GatewayCall withContent(ContentCheck content) {
        GatewayCall c = next();
        c.content = content;
        return c;
    }

    GatewayCall withRuling(Enforcement.Ruling ruling, LiveCalls.LiveCall live) {
        GatewayCall c = next();
        c.ruling = ruling;
        c.live = live;
        return c;
    }

    /** The request as it arrived, and where its answer goes. */
    ApiExchange exchange() {
        return exchange;
    }

    ApiStyle style() {
        return style;
    }

    String endpoint() {
        return endpoint;
    }

    String id() {
        return id;
    }

    long changesSeen() {
        return changesSeen;
    }

    String principalId() {
        return principalId;
    }

    String credential() {
        return credential;
    }

    ClaimedFacts claims() {
        return claims;
    }

    Callers.Resolved caller() {
        return caller;
    }

    RequestBody body() {
        return body;
    }

    RouteCall.Route route() {
        return route;
    }

    Request request() {
        return request;
    }

    ContentCheck content() {
        return content;
    }

    Enforcement.Ruling ruling() {
        return ruling;
    }

    LiveCalls.LiveCall live() {
        return live;
    }
}
