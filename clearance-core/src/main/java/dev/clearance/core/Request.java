package dev.clearance.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One request to decide: who, which model and capabilities, when, from where.
 *
 * @param id       the decision's id, chosen by the caller; {@link DecisionPoint#decide} refuses an empty one
 * @param country  ISO 3166 alpha-2 of the client location, empty when unknown (never a guess)
 * @param ip       client address, empty when unknown
 * @param endpoint the API endpoint that carried the request (e.g. {@code /v1/messages}); empty outside the gateway
 * @param locationError why the location is unknown although a trusted proxy forwarded one (null when it is
 *                 known, or when none was forwarded); reported in the decision, and denies when it says so
 */
public record Request(
        String id,
        String principal,
        String model,
        List<String> capabilities,
        Instant time,
        String country,
        String ip,
        String endpoint,
        LocationError locationError) {
    public Request {
        id = id == null ? "" : id;
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(model, "model");
        capabilities = List.copyOf(capabilities == null ? List.of() : capabilities);
        Objects.requireNonNull(time, "time");
        country = country == null ? "" : country;
        ip = ip == null ? "" : ip;
        endpoint = endpoint == null ? "" : endpoint;
    }

    /**
     * The client's location could not be determined from what a trusted proxy forwarded: an entry that
     * is not an address, an obfuscated one ({@code for=_hidden}, {@code unknown}), or two forwarding
     * headers that name different clients. Such a request has an empty {@code ip} and {@code country}.
     *
     * @param reason     what was forwarded and why it is unusable, for the decision's errors
     * @param failClosed whether this alone denies the request ({@code geoip.unparseable: deny}); when
     *                   false the country is merely unknown and the directives decide
     */
    public record LocationError(String reason, boolean failClosed) {
        public LocationError {
            Objects.requireNonNull(reason, "reason");
        }
    }

    public Request(
            String id,
            String principal,
            String model,
            List<String> capabilities,
            Instant time,
            String country,
            String ip,
            String endpoint) {
        this(id, principal, model, capabilities, time, country, ip, endpoint, null);
    }

    public Request(
            String id,
            String principal,
            String model,
            List<String> capabilities,
            Instant time,
            String country,
            String ip) {
        this(id, principal, model, capabilities, time, country, ip, "");
    }

    public Request withId(String newId) {
        return new Request(newId, principal, model, capabilities, time, country, ip, endpoint, locationError);
    }

    /** The same request for another model (the gateway decides {@code /v1/models} model by model). */
    public Request withModel(String otherModel) {
        return new Request(id, principal, otherModel, capabilities, time, country, ip, endpoint, locationError);
    }

    /** The same request at another time (a live stream is decided again when the policy changes). */
    public Request withTime(Instant otherTime) {
        return new Request(id, principal, model, capabilities, otherTime, country, ip, endpoint, locationError);
    }
}
