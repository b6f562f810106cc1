package dev.ladle.persist.log;

/**
 * An append found no space behind the log's tail and none was freed in time: the log is never overwritten, so
 * the writer waits until a sealed checkpoint moves the tail, and gives up with this after its wait limit.
 */
public final class LogFullException extends Exception {
    public LogFullException(String message) {
        super(message);
    }
}
