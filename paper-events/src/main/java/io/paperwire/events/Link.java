package io.paperwire.events;

import java.util.Objects;

/** A typed link of a paper (abstract page, PDF, code repository, project page). */
public record Link(String rel, String href) {

    public Link {
        Objects.requireNonNull(rel, "rel");
        Objects.requireNonNull(href, "href");
    }
}
