package dev.clearance.screening;

import java.util.Locale;

/** What kind of party a list entry names; vessels and aircraft are listed too. */
public enum PartyType {
    PERSON,
    ORGANIZATION,
    VESSEL,
    AIRCRAFT,
    UNKNOWN;

    /** Reads the type words the lists use ("individual", "Entity", "vessel", ...); blank is UNKNOWN. */
    static PartyType fromListWord(String word) {
        return switch (word.trim().toLowerCase(Locale.ROOT)) {
            case "individual", "person" -> PERSON;
            case "entity", "organization", "organisation" -> ORGANIZATION;
            case "vessel" -> VESSEL;
            case "aircraft" -> AIRCRAFT;
            default -> UNKNOWN;
        };
    }
}
