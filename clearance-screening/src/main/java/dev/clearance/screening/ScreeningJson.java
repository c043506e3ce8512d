package dev.clearance.screening;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.store.StoreException;

/** The JSON columns of the screening tables: listed parties, list names and matches. */
final class ScreeningJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScreeningJson() {}

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("screening records always serialise", e);
        }
    }

    /** Reads a stored column; a column that does not parse was edited or corrupted, so it fails loudly. */
    static <T> T read(String column, String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw unreadable(column, e);
        }
    }

    static <T> T read(String column, String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw unreadable(column, e);
        }
    }

    private static StoreException unreadable(String column, JsonProcessingException e) {
        return new StoreException(
                "stored screening data in column '" + column + "' is not readable: " + e.getOriginalMessage());
    }
}
