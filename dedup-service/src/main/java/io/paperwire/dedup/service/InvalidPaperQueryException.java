package io.paperwire.dedup.service;

/** A papers query this API cannot answer: an unknown sort, or a cursor it did not give out. */
public class InvalidPaperQueryException extends RuntimeException {

    /** Which part of the query is wrong. */
    public enum Part {
        SORT, CURSOR
    }

    private final Part part;

    public InvalidPaperQueryException(Part part, String detail) {
        super(detail);
        this.part = part;
    }

    public Part part() {
        return part;
    }
}
