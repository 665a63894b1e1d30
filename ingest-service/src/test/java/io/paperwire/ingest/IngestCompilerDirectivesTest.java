package io.paperwire.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The compiler directives name methods by string, so a rename or a library upgrade would quietly send them back to
 * C1: every class and method the directives let C2 compile must exist.
 */
class IngestCompilerDirectivesTest {

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    @Test
    void everyMethodLeftToC2Exists() throws Exception {
        String text = Files.readString(Path.of("src/main/jvm/compiler-directives.json"));
        String firstBlock = text.substring(text.indexOf("match:"), text.indexOf("c2:"));
        List<String> patterns = new ArrayList<>();
        for (Matcher m = QUOTED.matcher(firstBlock); m.find(); ) {
            patterns.add(m.group(1));
        }
        assertThat(patterns).as("the methods C2 compiles").hasSizeGreaterThan(5).contains("sun/security/provider/SHA2.*");
        for (String pattern : patterns) {
            int dot = pattern.lastIndexOf('.');
            String className = pattern.substring(0, dot).replace('/', '.');
            String method = pattern.substring(dot + 1);
            Class<?> type = Class.forName(className, false, getClass().getClassLoader());
            if (!method.equals("*")) {
                String prefix = method.endsWith("*") ? method.substring(0, method.length() - 1) : null;
                boolean found = Arrays.stream(type.getDeclaredMethods()).map(Method::getName)
                        .anyMatch(n -> prefix == null ? n.equals(method) : n.startsWith(prefix));
                assertThat(found).as(pattern + " names a method of " + className).isTrue();
            }
        }
    }
}
