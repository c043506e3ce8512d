package dev.clearance.screening;

import java.util.List;
import java.util.Map;

/**
 * The active lists in memory, as one screening reads them: their index and the content hash of
 * each listed entry (which reviews refer to).
 *
 * @param versionIds  the active list versions, in activation order; empty when no list is loaded
 * @param listsHash   identifies this set of list versions in stored results
 * @param entryHashes entry content hash by {@link #key(String, String)}
 */
record ListSnapshot(List<Long> versionIds, String listsHash, ScreeningIndex index, Map<String, String> entryHashes) {
    ListSnapshot {
        versionIds = List.copyOf(versionIds);
        entryHashes = Map.copyOf(entryHashes);
    }

    boolean isEmpty() {
        return versionIds.isEmpty();
    }

    /** The content hash of a listed entry, or empty when the snapshot does not hold it. */
    String entryHash(ListedParty party) {
        return entryHashes.getOrDefault(key(party.list(), party.entityId()), "");
    }

    /** How {@link #entryHashes} is keyed: a listed entry is named by its list and its id there. */
    static String key(String list, String entityId) {
        return list + "\u0000" + entityId;
    }
}
