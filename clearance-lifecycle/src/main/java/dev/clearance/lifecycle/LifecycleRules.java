package dev.clearance.lifecycle;

/**
 * The lifecycle rules from configuration ({@code lifecycle.two_person_rule}).
 *
 * @param twoPersonRule the approver of a directive version must not be its author
 */
public record LifecycleRules(boolean twoPersonRule) {}
