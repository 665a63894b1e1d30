package io.paperwire.support.rest;

import io.paperwire.support.config.ApiToken;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/** Checks the bearer token of endpoints marked {@link RequiresApiToken}. */
@Provider
@RequiresApiToken
@Priority(Priorities.AUTHENTICATION)
public class ApiTokenFilter implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final ApiToken token;

    public ApiTokenFilter(ApiToken token) {
        this.token = token;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            reject(request, "This endpoint needs 'Authorization: Bearer <token>' with the service's PAPERWIRE_API_TOKEN.");
            return;
        }
        if (!token.matches(header.substring(BEARER.length()).strip())) {
            reject(request, "The bearer token is not this service's PAPERWIRE_API_TOKEN.");
        }
    }

    private static void reject(ContainerRequestContext request, String detail) {
        request.abortWith(Response.fromResponse(
                        Problem.of("unauthorized", "Unauthorized", 401, detail).toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"paperwire\"")
                .build());
    }
}
