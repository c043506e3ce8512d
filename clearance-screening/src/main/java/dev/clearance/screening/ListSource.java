package dev.clearance.screening;

import java.util.Arrays;
import java.util.Locale;

/** The list formats Clearance imports, by the name operators use on the command line. */
public enum ListSource {
    /** OFAC SDN legacy CSV: a folder with {@code sdn.csv}, {@code alt.csv} and {@code add.csv}. */
    OFAC_SDN("ofac-sdn"),
    /** trade.gov Consolidated Screening List, CSV or JSON. */
    CSL("csl"),
    /** BIS Denied Persons List, tab-separated text with a header. */
    BIS_DPL("bis-dpl");

    private final String wireName;

    ListSource(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses {@code ofac-sdn}, {@code csl} or {@code bis-dpl}; the error lists the valid names. */
    public static ListSource fromWireName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (ListSource s : values()) {
            if (s.wireName.equals(n)) return s;
        }
        throw new IllegalArgumentException("unknown list kind '" + name + "'; valid kinds: "
                + Arrays.stream(values()).map(ListSource::wireName).toList());
    }
}
