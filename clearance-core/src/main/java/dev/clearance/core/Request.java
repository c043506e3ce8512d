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
 */
public record Request(
        String id,
        String principal,
        String model,
        List<String> capabilities,
        Instant time,
        String country,
        String ip,
        String endpoint) {
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
        return new Request(newId, principal, model, capabilities, time, country, ip, endpoint);
    }
}
