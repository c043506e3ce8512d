package dev.clearance.gateway;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The route stage: which upstream serves the call, under which model id, with which query string —
 * settled before the decision, so that the request decided is the request forwarded.
 *
 * <ul>
 *   <li>The body's model {@link ModelCatalogue#resolve resolves} to exactly one catalogue id (404
 *       {@code model_not_found} for none, 400 {@code ambiguous_model} for several), and the body's
 *       {@code model} value is rewritten to that id (every other byte kept).
 *   <li>The query string passes only when every parameter is on that upstream's {@code query_allow}
 *       list (none by default): any other parameter, or a {@code ;} separator some servers split on,
 *       is refused with 400 {@code unsupported_query_parameter} naming it — never silently dropped, so
 *       the caller learns the upstream did not see it.
 * </ul>
 */
record RouteCall(ModelCatalogue catalogue) implements Pipeline.Stage {

    /**
     * Where an allowed call goes.
     *
     * @param model    the catalogue id decided and forwarded (the body's {@code model} says the same)
     * @param query    the raw query string to forward, empty for none
     */
    record Route(String model, GatewaySettings.Upstream upstream, String query) {}

    @Override
    public void handle(GatewayCall call, Pipeline.Chain next) throws Exception {
        ModelCatalogue.Entry target = catalogue.resolve(call.body().model());
        String query = allowedQuery(call.exchange().rawQuery(), target.upstream());
        next.proceed(call.withRoute(
                new Route(target.id(), target.upstream(), query), call.body().withModel(target.id())));
    }

    /**
     * The raw query when each of its parameters is allowed for the upstream.
     *
     * @throws Rejection 400 naming the first parameter that is not
     */
    static String allowedQuery(String raw, GatewaySettings.Upstream upstream) {
        if (raw.isEmpty()) {
            return "";
        }
        if (raw.indexOf(';') >= 0) {
            throw refused("the query string contains ';', which some servers read as a separator; encode it as %3B");
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name;
            try {
                name = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                URLDecoder.decode(eq < 0 ? "" : part.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw refused("the query string is not validly percent-encoded");
            }
            if (!upstream.queryAllow().contains(name)) {
                String shown = name.length() > 64 ? name.substring(0, 64) + "…" : name;
                throw refused("query parameter '" + shown + "' is not forwarded to upstream '" + upstream.name()
                        + "'"
                        + (upstream.queryAllow().isEmpty()
                                ? " (it takes no query parameters)"
                                : " (it takes only " + upstream.queryAllow() + ")")
                        + "; the model is read from the body only");
            }
        }
        try {
            URI.create("http://upstream/?" + raw); // forwarded as written: it must be a valid URI query
        } catch (IllegalArgumentException e) {
            throw refused("the query string holds characters a URI may not hold unencoded");
        }
        return raw;
    }

    private static Rejection refused(String message) {
        return new Rejection(GatewayError.Kind.INVALID_REQUEST, "unsupported_query_parameter", message);
    }
}
