package dev.clearance.screening;

import java.util.List;
import java.util.Objects;

/**
 * One entry of a restricted-party list.
 *
 * @param list         short list code directives see in {@code principal.screening.lists}
 *                     ({@code SDN}, {@code DPL}, {@code EL}, {@code UVL}, {@code MEU}, ...)
 * @param entityId     the list's own id ({@code ent_num} for OFAC), or a stable id derived from
 *                     the entry's content when the list has none
 * @param type         person, organisation, vessel, aircraft or unknown
 * @param name         the primary listed name, as written in the list
 * @param aliases      alternate names (a.k.a., f.k.a., n.k.a.)
 * @param countries    countries named in addresses, citizenships and nationalities (as written)
 * @param datesOfBirth dates of birth as written (may be a year or a range)
 * @param programs     sanctions programs or legal bases
 */
public record ListedParty(
        String list,
        String entityId,
        PartyType type,
        String name,
        List<String> aliases,
        List<String> countries,
        List<String> datesOfBirth,
        List<String> programs) {

    public ListedParty {
        Objects.requireNonNull(list, "list");
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        aliases = List.copyOf(aliases);
        countries = List.copyOf(countries);
        datesOfBirth = List.copyOf(datesOfBirth);
        programs = List.copyOf(programs);
    }
}
