package dev.clearance.cli.log;

/** A log command that cannot run; the message is printed as is and the exit code is 1. */
final class LogCommandException extends Exception {
    LogCommandException(String message) {
        super(message);
    }
}
