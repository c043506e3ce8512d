package dev.clearance.screening;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Reads a country written as an ISO 3166 alpha-2 code or as an English name, as the lists do. */
final class Countries {
    private static final Map<String, String> CODES = new HashMap<>();

    static {
        for (String code : Locale.getISOCountries()) {
            CODES.put(code.toLowerCase(Locale.ROOT), code);
            CODES.put(Locale.of("", code).getDisplayCountry(Locale.ENGLISH).toLowerCase(Locale.ROOT), code);
        }
        // Names the OFAC and BIS lists use that differ from the JDK's English names.
        CODES.put("korea, north", "KP");
        CODES.put("north korea", "KP");
        CODES.put("korea, south", "KR");
        CODES.put("south korea", "KR");
        CODES.put("burma", "MM");
        CODES.put("russian federation", "RU");
        CODES.put("iran, islamic republic of", "IR");
        CODES.put("syrian arab republic", "SY");
        CODES.put("west bank", "PS");
        CODES.put("gaza", "PS");
        CODES.put("palestinian", "PS");
        CODES.put("united states", "US");
        CODES.put("usa", "US");
        CODES.put("uk", "GB");
        CODES.put("england", "GB");
        CODES.put("czech republic", "CZ");
        CODES.put("macau", "MO");
        CODES.put("hong kong", "HK");
        CODES.put("taiwan", "TW");
        CODES.put("congo, democratic republic of the", "CD");
        CODES.put("ivory coast", "CI");
        CODES.put("cote d ivoire", "CI");
        CODES.put("turkey", "TR");
        CODES.put("vietnam", "VN");
        CODES.put("laos", "LA");
        CODES.put("bosnia and herzegovina", "BA");
    }

    private Countries() {}

    /** The ISO code, or empty when the text names no known country. */
    static String code(String text) {
        if (text == null) return "";
        String t = text.trim().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        return CODES.getOrDefault(t, "");
    }
}
