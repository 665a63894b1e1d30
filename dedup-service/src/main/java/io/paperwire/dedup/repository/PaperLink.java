package io.paperwire.dedup.repository;

/**
 * A link a paper was listed with, as the catalogue stores it (JSON in {@code paper.links}); the published event's
 * {@code Link} is mapped from it, so the stored form never changes with the contract by accident.
 */
public record PaperLink(String rel, String href) {
}
