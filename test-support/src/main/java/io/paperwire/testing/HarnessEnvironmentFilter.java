package io.paperwire.testing;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import jakarta.annotation.Priority;
import java.util.Iterator;
import java.util.Spliterators;
import java.util.stream.StreamSupport;

/**
 * Hides the caller's environment variables from a service under test, so that a shell with
 * {@code PAPERWIRE_API_TOKEN} or {@code KAFKA_BOOTSTRAP_SERVERS} exported runs the same suite as a clean one.
 *
 * <p>{@link HarnessConfigSource} already outranks the environment for every key the service's
 * {@code application.properties} names. This covers the rest: {@code ${PAPERWIRE_X:default}} expressions
 * (they take their defaults) and code that enumerates raw names, as the Kafka extension does with every
 * {@code KAFKA_*} variable. A setting that neither {@code application.properties} nor a test resource names
 * (an extension's default) can still be changed by its canonical variable; the suite depends on none. Its priority puts it inside the profile and expression interceptors (3200, 3300),
 * next to the sources.
 */
@Priority(3100)
public final class HarnessEnvironmentFilter implements ConfigSourceInterceptor {

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (LaunchMode.current() != LaunchMode.TEST) {
            return value; // dev mode may have test-scoped libraries on its class path
        }
        // Only raw variable names: a dotted name the environment answers (PAPERWIRE_API_TOKEN for
        // paperwire.api.token) is outranked by HarnessConfigSource when application.properties names it; hiding
        // it here would leave a name that the config mapping sees but cannot read.
        if (value != null && System.getenv().containsKey(name) && fromEnvironment(value)) {
            return null;
        }
        return value;
    }

    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        Iterator<String> names = context.iterateNames();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(names, 0), false)
                .filter(n -> !System.getenv().containsKey(n))
                .iterator();
    }

    private static boolean fromEnvironment(ConfigValue value) {
        String source = value.getConfigSourceName();
        return source != null && source.startsWith("EnvConfigSource");
    }
}
