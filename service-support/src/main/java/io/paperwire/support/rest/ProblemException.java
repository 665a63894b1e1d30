package io.paperwire.support.rest;

/** Thrown by resources and services to answer with a specific problem (status, title, detail). */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
