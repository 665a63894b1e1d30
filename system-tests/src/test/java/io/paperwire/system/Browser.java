package io.paperwire.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for the site's tests: Debian's {@code chromium}, driven through its {@code chromedriver} by Selenium,
 * headless, with axe-core (from npm, pinned in {@code system-tests/browser}) injected into a page to check it against
 * the WCAG 2.1 A and AA rules, and screenshots kept under {@code target/screenshots}.
 */
final class Browser implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    private final String axe;

    Browser(Path home) throws Exception {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError(p + " is missing: the browser tests need Debian's chromium and chromium-driver"
                        + " (apt-get install chromium chromium-driver; .ci/run installs them)");
            }
        }
        axe = Files.readString(axeCore(home), StandardCharsets.UTF_8);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600",
                "--lang=en-GB", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    /**
     * Does what leads to another page (a click, Enter in a form) and waits until that page replaced this one: the old
     * document's root gone stale, the new one loaded.
     */
    void navigate(Runnable action) {
        WebElement old = driver.findElement(By.tagName("html"));
        action.run();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> gone(old));
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    /**
     * Whether the element's document was replaced. Chromium 156 sometimes answers a question about a node of a page
     * being torn down with "Node with given id does not belong to the document" instead of a stale element: that is
     * the same answer (Selenium's own staleness check let it through and failed a CI run).
     */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /** Clicks what leads to another page and waits for it. */
    void follow(WebElement element) {
        navigate(element::click);
    }

    /** The WCAG 2.1 A and AA violations axe-core finds in the page as it is now, one line each; empty when it passes. */
    List<String> accessibilityViolations() throws IOException {
        driver.executeScript(axe);
        Object result = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                   .then(r => done(JSON.stringify(r.violations)))
                   .catch(e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));""");
        List<String> out = new ArrayList<>();
        for (JsonNode v : JSON.readTree((String) result)) {
            List<String> targets = new ArrayList<>();
            v.path("nodes").forEach(n -> targets.add(n.path("target").toString() + " " + n.path("failureSummary").asText().replace('\n', ' ')));
            out.add(v.path("id").asText() + " (" + v.path("impact").asText() + "): " + v.path("help").asText() + " at " + targets);
        }
        return out;
    }

    /** Checks the page with axe-core and keeps a screenshot of it as {@code target/screenshots/NAME.png}. */
    void check(String name) throws IOException {
        shoot(name);
        assertThat(accessibilityViolations()).as("axe-core's WCAG 2.1 A/AA violations on " + name + " (" + driver.getCurrentUrl() + ")")
                .isEmpty();
    }

    /** Shows an HTML document (a mail's) as a page of its own. */
    void show(String html) {
        driver.get("data:text/html;charset=utf-8;base64," + Base64.getEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8)));
    }

    /** Pages from now on see the reader's system in dark mode ({@code prefers-color-scheme: dark}), or light again. */
    void dark(boolean on) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", on ? "dark" : "light"))));
    }

    void shoot(String name) throws IOException {
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
    }

    /** axe-core as its lock file pins it, installed from npm into target/browser once per build. */
    private static synchronized Path axeCore(Path home) throws Exception {
        Path source = home.resolve("system-tests/browser");
        Path target = home.resolve("system-tests/target/browser");
        Files.createDirectories(target);
        boolean changed = false;
        for (String f : List.of("package.json", "package-lock.json")) {
            byte[] wanted = Files.readAllBytes(source.resolve(f));
            Path copy = target.resolve(f);
            if (!Files.exists(copy) || !Arrays.equals(Files.readAllBytes(copy), wanted)) {
                Files.write(copy, wanted);
                changed = true;
            }
        }
        Path axe = target.resolve("node_modules/axe-core/axe.min.js");
        if (changed || !Files.exists(axe)) {
            Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(target.toFile()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("npm ci in " + target + " failed (Node.js and npm are needed):\n" + out);
            }
        }
        return axe;
    }
}
