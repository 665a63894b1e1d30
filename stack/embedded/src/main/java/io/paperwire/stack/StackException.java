package io.paperwire.stack;

/** A part of the stack could not start or answer; the message names the problem and what to do about it. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
