package dev.clearance.gateway;

import dev.clearance.core.ModelName;
import java.util.ArrayList;
import java.util.List;

/**
 * The capabilities a call asks for, from its {@code clearance-capabilities} headers (comma-separated
 * names). They reach the decision and the log, so they are bounded like model names: at most
 * {@value #MAX_NAMES} names of at most {@value ModelName#MAX_LENGTH} characters, none holding a
 * control or invisible character; anything else is refused with 400, never cut down silently.
 */
final class CapabilityHeader {
    static final int MAX_NAMES = 32;

    private CapabilityHeader() {}

    /** @throws Rejection 400 {@code invalid_capabilities} naming what is wrong */
    static List<String> read(List<String> headers) {
        List<String> result = new ArrayList<>();
        for (String header : headers) {
            for (String c : header.split(",")) {
                String t = c.strip(); // whitespace only: trim() would also drop control characters
                if (t.isEmpty()) {
                    continue;
                }
                String problem = ModelName.problem(t);
                if (problem != null) {
                    throw invalid("capability " + (result.size() + 1) + " " + problem.replace("model name", "name"));
                }
                if (result.size() == MAX_NAMES) {
                    throw invalid("more than " + MAX_NAMES + " capabilities requested");
                }
                result.add(t);
            }
        }
        return result;
    }

    private static Rejection invalid(String message) {
        return new Rejection(
                GatewayError.Kind.INVALID_REQUEST, "invalid_capabilities", "header clearance-capabilities: " + message);
    }
}
