package io.paperwire.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** What every Paperwire service must serve to be operable, asserted the same way in each service's tests. */
public final class OperationalEndpoints {

    private OperationalEndpoints() {
    }

    /**
     * Liveness, readiness covering Kafka and the database, Prometheus metrics, and an OpenAPI document
     * that names {@code apiPath}.
     */
    public static void assertServed(String apiPath) {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check",
                        "SmallRye Reactive Messaging - readiness check"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().get("/q/openapi").then().statusCode(200).body(containsString(apiPath));
    }
}
