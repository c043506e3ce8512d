package dev.clearance.store;

import java.util.List;
import java.util.Optional;

/** The policies that were active, in order; the latest is the one in force. */
public interface PolicyVersions {

    /** What an activation names as its base when the store has never had a policy. */
    long NONE = 0;

    /**
     * Activates a new policy version made of exactly these directives, atomically, provided policy
     * version {@code basedOn} (the one the caller derived these directives from; {@link #NONE} on an
     * empty store) is still the active one: compare-and-set, so two writers deriving from the same
     * version cannot both succeed and silently undo each other's change.
     * <ul>
     *   <li>a directive whose latest version has the same text reuses that version; otherwise a new
     *       version is stored (author {@code by});</li>
     *   <li>every member becomes {@code active}; versions active before and not in the new set become
     *       {@code withdrawn}; each move is a history event with {@code by} and {@code reason};</li>
     *   <li>a {@link Change.Kind#POLICY_ACTIVATED} change is appended.</li>
     * </ul>
     * The caller validates first (parse and {@code Policy.compile}) and passes the compiled
     * policy's version as {@code contentHash}: the store never activates what it cannot check, but
     * it does not second-guess the compiler either.
     *
     * @throws StoreException.PolicyConflict when the active policy is no longer {@code basedOn}
     * @throws StoreException.Conflict        when two members have the same directive id
     */
    PolicyVersion activate(long basedOn, List<DirectiveText> directives, String contentHash, String by, String reason);

    /**
     * Activates a new policy version made of already-stored versions (lifecycle: an approved version,
     * or restoring an earlier policy). Same bookkeeping as {@link #activate}. The store does not
     * require a version to be approved first: who may activate what (the two-person rule) is the
     * lifecycle's decision, made before calling this. Compare-and-set on {@code basedOn} as there.
     *
     * @throws StoreException.PolicyConflict when the active policy is no longer {@code basedOn}
     * @throws StoreException.NotFound       when a named version does not exist
     */
    PolicyVersion activateVersions(
            long basedOn, List<VersionRef> versions, String contentHash, String by, String reason);

    /** The policy in force, or empty when none was ever activated (a fresh store). */
    Optional<PolicyVersion> active();

    /** One policy version. */
    Optional<PolicyVersion> get(long number);

    /** Every policy version, oldest first, without member texts loaded twice. */
    List<PolicyVersion> history();

    /** A stored directive version, named by id and version number. */
    record VersionRef(String directiveId, int version) {}
}
