package dev.ladle.x86;

/** The Unicorn library is not installed; the message says what to install. */
public final class UnicornMissingException extends IllegalStateException {
    UnicornMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
