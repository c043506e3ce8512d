package dev.clearance.gateway;

import io.helidon.webserver.http.HttpService;
import java.util.Objects;

/**
 * A service its caller adds to the admin listener beside the admin API, such as the compliance
 * console; the gateway itself knows nothing of what it does. It is never mounted on the model API's
 * listener.
 *
 * @param path                where it is registered, e.g. {@code /console}
 * @param service             its routes
 * @param authenticatesItself whether it checks its callers itself: the admin token filter then lets
 *                            requests under {@code path} through unchecked (the console's sign-in page
 *                            must render without the token); otherwise it sits behind the admin token
 *                            like every admin API call
 */
public record AdminMount(String path, HttpService service, boolean authenticatesItself) {
    public AdminMount {
        Objects.requireNonNull(service, "service");
        if (path == null || !path.matches("(/[a-z0-9-]+)+")) {
            throw new IllegalArgumentException(
                    "an admin mount's path is '/' and lower-case segments, e.g. /console; got '" + path + "'");
        }
    }
}
