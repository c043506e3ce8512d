package dev.clearance.gateway;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the country of a client address in a MaxMind-format database (GeoLite2-Country, GeoIP2-Country
 * or any database with {@code country.iso_code}). An address the database does not place gives the
 * empty string: unknown location is never a guess, so the registered country of the network is not used.
 */
public final class CountryLocator implements Closeable {
    /** Locates nothing: used when no database is configured. */
    public static final CountryLocator NONE = new CountryLocator(null);

    private final Reader reader;

    private CountryLocator(Reader reader) {
        this.reader = reader;
    }

    /** Opens the database, or {@link #NONE} when there is none. */
    public static CountryLocator open(Optional<Path> database) {
        if (database.isEmpty()) {
            return NONE;
        }
        Path path = database.get();
        try {
            return new CountryLocator(new Reader(path.toFile(), new CHMCache()));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "geoip.database: cannot open " + path + " as a MaxMind database: " + e.getMessage(), e);
        }
    }

    /** ISO 3166-1 alpha-2 code of the address, or "" when unknown. */
    public String country(InetAddress address) {
        if (reader == null || address == null) {
            return "";
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> record = reader.get(address, Map.class);
            if (record != null
                    && record.get("country") instanceof Map<?, ?> country
                    && country.get("iso_code") instanceof String code
                    && code.length() == 2) {
                return code;
            }
            return "";
        } catch (IOException | RuntimeException e) {
            // An IPv6 client against an IPv4-only database, or a damaged record: unknown, not a guess.
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
        }
    }
}
