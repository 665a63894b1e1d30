package io.paperwire.testing;

import io.quarkus.runtime.LaunchMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Makes a service's tests deaf to the caller's environment: what the service's {@code application.properties}
 * says for the test profile wins over environment variables.
 *
 * <p>Environment variables rank above {@code application.properties} in MicroProfile Config, and above its
 * {@code %test.} entries too. A user who exported {@code PAPERWIRE_API_TOKEN} for the local stack would otherwise
 * run the suite with their own token. This source sits just above the environment (ordinal 300) and below
 * system properties and the test resources, so the harness still points the tests at its own broker and
 * database. It holds each key as the test profile resolves it, with {@code ${ENV_NAME:default}} replaced by its
 * default. It is on the test class path only (test-support is a test-scoped dependency).
 */
public final class HarnessConfigSource implements ConfigSource {

    /** Just above {@code EnvConfigSource} (300), below system properties (400). */
    public static final int ORDINAL = 350;

    private static final Pattern ENV_EXPRESSION = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):([^}]*)}");

    private final Map<String, String> values;

    public HarnessConfigSource() {
        // Only under test: dev mode may have test-scoped libraries on its class path, and must keep its own profile.
        this.values = LaunchMode.current() == LaunchMode.TEST ? load(Thread.currentThread().getContextClassLoader()) : Map.of();
    }

    static Map<String, String> load(ClassLoader loader) {
        Properties merged = new Properties();
        try {
            Enumeration<URL> urls = loader == null ? Collections.emptyEnumeration() : loader.getResources("application.properties");
            for (URL url : Collections.list(urls)) {
                try (InputStream in = url.openStream()) {
                    merged.load(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.properties for the test harness", e);
        }
        return resolve(merged);
    }

    /** Each key as the test profile sees it: its {@code %test.} value if any, else its plain value. */
    static Map<String, String> resolve(Properties p) {
        Map<String, String> out = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                out.putIfAbsent(key, withoutEnvironment(p.getProperty(key)));
            }
        }
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("%test.")) {
                out.put(key.substring("%test.".length()), withoutEnvironment(p.getProperty(key)));
            }
        }
        return out;
    }

    /** {@code ${PAPERWIRE_X:default}} becomes {@code default}; expressions over config keys stay. */
    static String withoutEnvironment(String value) {
        Matcher m = ENV_EXPRESSION.matcher(value);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(2)));
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "paperwire test harness (application.properties over the environment)";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
