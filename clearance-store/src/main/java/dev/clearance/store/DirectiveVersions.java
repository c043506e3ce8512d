package dev.clearance.store;

import java.util.List;
import java.util.Optional;

/**
 * Every version of every directive and its history. Text is never overwritten; a change of status
 * is a new history event with who, when and why.
 */
public interface DirectiveVersions {

    /** Stores a new draft version of a directive (version = latest + 1). */
    DirectiveVersion propose(DirectiveText directive, String author, String reason);

    /**
     * Moves a version to another status, recording who and why. Allowed here: draft to approved
     * (sets the approver), draft or approved to withdrawn. Activation and withdrawal of active
     * versions happen through {@link PolicyVersions#activate}, so the active policy and the
     * statuses never disagree.
     *
     * @throws StoreException.NotFound when the version does not exist
     * @throws StoreException.Conflict when the move is not allowed from its current status
     */
    DirectiveVersion transition(String directiveId, int version, DirectiveStatus to, String actor, String reason);

    /** One version. */
    Optional<DirectiveVersion> get(String directiveId, int version);

    /** All versions of one directive, oldest first (empty when the id is unknown). */
    List<DirectiveVersion> versions(String directiveId);

    /** The latest version of every directive, ordered by id. */
    List<DirectiveVersion> latest();

    /** The status history of one directive (all its versions), in order. */
    List<DirectiveEvent> history(String directiveId);

    /**
     * Every directive's status changes after {@code sequence}, in order, at most {@code limit}: how a
     * serving process hands each step, made by whichever process, on to its decision log.
     */
    List<DirectiveEvent> eventsAfter(long sequence, int limit);
}
