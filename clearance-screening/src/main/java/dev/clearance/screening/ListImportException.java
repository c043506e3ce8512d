package dev.clearance.screening;

/**
 * A list file could not be imported; names the file and line so the operator can fix it.
 * Nothing of the failed import is kept: the previously imported version stays active.
 */
public final class ListImportException extends Exception {
    private final String file;
    private final long line;

    public ListImportException(String file, long line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    /** The file name as the operator gave it. */
    public String file() {
        return file;
    }

    /** The 1-based line where the bad record starts, or 0 when the whole file is at fault. */
    public long line() {
        return line;
    }
}
