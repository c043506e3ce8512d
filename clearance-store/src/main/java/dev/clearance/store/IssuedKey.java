package dev.clearance.store;

/**
 * A newly created key: the secret, shown once, and what is stored about it.
 * {@link #toString()} leaves the secret out so it never reaches a log by accident.
 */
public record IssuedKey(String key, ApiKey info) {
    @Override
    public String toString() {
        return "IssuedKey[prefix=" + info.prefix() + ", principal=" + info.principalId() + ", key=<redacted>]";
    }
}
