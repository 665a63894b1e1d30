package io.paperwire.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Renders the overlays with kustomize (kubectl's, offline) and reads what the checks compare them with. */
final class Manifests {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {
    }

    static Path home() {
        return Path.of(System.getProperty("paperwire.home", "../..")).toAbsolutePath().normalize();
    }

    static Path kubernetes() {
        return home().resolve("deploy/kubernetes");
    }

    /** Every object the overlay renders to. */
    static List<JsonNode> render(String overlay) throws IOException, InterruptedException {
        String yaml = run(kubernetes(), 120, "kubectl", "kustomize", "overlays/" + overlay);
        return parse(yaml);
    }

    static List<JsonNode> parse(String yaml) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).readValues(new YAMLFactory().createParser(yaml))) {
            while (it.hasNext()) {
                JsonNode n = (JsonNode) it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static JsonNode named(List<JsonNode> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    /** A service's application.properties, as the service itself reads it. */
    static Properties serviceConfig(String service) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(home().resolve(service).resolve("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    /** Runs a command, returns its output; fails with the command's own words when it cannot run or fails. */
    static String run(Path dir, int seconds, String... command) throws IOException, InterruptedException {
        return runWithInput(dir, seconds, null, command);
    }

    static String runWithInput(Path dir, int seconds, String stdin, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is needed for this check and could not be started (" + e.getMessage()
                    + "); install it (kubectl ships kustomize; node and npm for the schema check)", e);
        }
        if (stdin != null) {
            try (var w = p.getOutputStream()) {
                w.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            p.getOutputStream().close();
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + seconds + " s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + text);
        }
        return text;
    }
}
