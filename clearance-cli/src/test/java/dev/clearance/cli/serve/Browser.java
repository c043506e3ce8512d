package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, for the console's tests: pages visited,
 * every console error and failed request collected, axe-core run on a page, screenshots taken.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();

    final ChromeDriver driver;
    private final Path profile;
    private final String base;
    /** Console errors and failed requests seen so far, each with the page it happened on. */
    final List<String> problems = new ArrayList<>();
    /** Request ids to URLs, to name a request that failed. */
    private final Map<String, String> requests = new java.util.HashMap<>();

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    Browser(String base) throws IOException {
        this.base = base;
        this.profile = Files.createTempDirectory("console-chromium");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,800",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, o);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        // Pages are looked at (and screenshots taken) at 1280×800 CSS pixels.
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", 800, "deviceScaleFactor", 1, "mobile", false));
        // What Chromium itself did while starting is not a page's doing: drop it.
        driver.manage().logs().get(LogType.BROWSER);
        driver.manage().logs().get(LogType.PERFORMANCE);
    }

    /** Clicks {@code css} (a submit button or a link) and waits until the next page has replaced this one. */
    void click(String css) {
        navigate(find(css));
    }

    /** Follows the link with this text, waiting for its page. */
    void follow(String linkText) {
        navigate(driver.findElement(By.linkText(linkText)));
    }

    private void navigate(WebElement target) {
        // A mark on the current document: the next page has none. (Waiting for the old element to go
        // stale races with Chromium replacing the document.)
        driver.executeScript("window.__consoleTestMark = true;");
        target.click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
            try {
                return Boolean.TRUE.equals(
                        ((org.openqa.selenium.JavascriptExecutor) d)
                                .executeScript(
                                        "return window.__consoleTestMark === undefined && document.readyState === 'complete';"));
            } catch (org.openqa.selenium.WebDriverException e) {
                return false; // the document is being replaced
            }
        });
        collect();
    }

    /** Opens a console path (e.g. {@code /console/}) and collects what went wrong loading it. */
    void open(String path) {
        driver.get(base + path);
        collect();
    }

    String url(String path) {
        return base + path;
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    void waitFor(String css, Duration timeout) {
        new WebDriverWait(driver, timeout)
                .until(d -> !d.findElements(By.cssSelector(css)).isEmpty());
        collect();
    }

    /** Every console message of level SEVERE and every request answered >= 400 or that failed, since the last call. */
    void collect() {
        String page = driver.getCurrentUrl();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                problems.add(page + ": console: " + e.getMessage());
            }
        }
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode m = JSON.readTree(e.getMessage()).path("message");
                String method = m.path("method").asText();
                JsonNode p = m.path("params");
                if (method.equals("Network.requestWillBeSent")) {
                    requests.put(
                            p.path("requestId").asText(),
                            p.path("request").path("url").asText());
                } else if (method.equals("Network.responseReceived")
                        && p.path("response").path("status").asInt() >= 400) {
                    problems.add(
                            page + ": request " + p.path("response").path("url").asText() + " answered "
                                    + p.path("response").path("status").asInt());
                } else if (method.equals("Network.loadingFailed")) {
                    problems.add(page + ": request "
                            + requests.get(p.path("requestId").asText()) + " failed: "
                            + p.path("errorText").asText() + " " + p);
                }
            } catch (IOException ex) {
                problems.add("unreadable performance log entry: " + e.getMessage());
            }
        }
    }

    /** Runs axe-core (the webjar's copy) on the current page; the violations of impact serious or critical. */
    List<String> seriousViolations() throws IOException {
        String axe = axeSource();
        driver.executeScript(axe);
        Object result = driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
                + ".then(function (r) { done(JSON.stringify(r.violations)); })"
                + ".catch(function (e) { done('axe failed: ' + e); });");
        String json = String.valueOf(result);
        assertThat(json).doesNotStartWith("axe failed");
        List<String> out = new ArrayList<>();
        for (JsonNode v : JSON.readTree(json)) {
            String impact = v.path("impact").asText();
            if (impact.equals("serious") || impact.equals("critical")) {
                List<String> nodes = new ArrayList<>();
                v.path("nodes").forEach(n -> nodes.add(n.path("html").asText()));
                out.add(impact + " " + v.path("id").asText() + ": "
                        + v.path("help").asText() + " at " + nodes);
            }
        }
        collect();
        return out;
    }

    /**
     * axe-core from the webjar on the test class path; {@code -Dconsole.axe=FILE} checks with another
     * {@code axe.min.js} instead (e.g. a newer release).
     */
    private static String axeSource() throws IOException {
        String other = System.getProperty("console.axe", "");
        if (!other.isEmpty()) {
            return Files.readString(Path.of(other));
        }
        try (InputStream in = Browser.class.getResourceAsStream(
                "/META-INF/resources/webjars/axe-core/" + axeVersion() + "/axe.min.js")) {
            assertThat(in).as("axe-core webjar on the test class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String axeVersion() throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (InputStream in =
                Browser.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
            p.load(in);
        }
        return p.getProperty("version");
    }

    /** Fetches a path from the page (with its cookies, as a download link would), returning the status and body. */
    String fetch(String path) {
        Object r = driver.executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0]).then(function (r) { return r.text().then(function (t) { done(r.status + '\\n' + t); }); })"
                        + ".catch(function (e) { done('failed ' + e); });",
                path);
        collect();
        return String.valueOf(r);
    }

    /** Sends {@code headers} with every request from now on (empty: stop). */
    void extraHeaders(Map<String, String> headers) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", headers));
    }

    void screenshot(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }
}
