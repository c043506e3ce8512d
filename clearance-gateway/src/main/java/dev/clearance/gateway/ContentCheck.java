package dev.clearance.gateway;

import dev.clearance.core.ContentClassification;
import dev.clearance.core.Policy;

/**
 * What the content stage settled for a call.
 *
 * @param policy         the policy snapshot it asked whether content matters; the call is decided under it
 * @param open           whether a capability directive could still restrict this caller: then the
 *                       request was classified, and so is the answer
 * @param classification what the classifier found in the request; null when it did not run
 */
record ContentCheck(Policy policy, boolean open, ContentClassification classification) {}
