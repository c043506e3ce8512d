package dev.clearance.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The HTML report is one self-contained page whose charts a browser actually draws. */
class ReportHtmlTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    static String html() throws Exception {
        SimulationTest.load();
        return ReportHtml.write(SimulationTest.run(2));
    }

    @Test
    void the_html_report_is_self_contained_with_no_scripts_fonts_or_remote_resources() throws Exception {
        String h = html();
        assertThat(h)
                .doesNotContainIgnoringCase("<script")
                .doesNotContainIgnoringCase("@import")
                .doesNotContainIgnoringCase("<link")
                .doesNotContainIgnoringCase("@font-face");
        // The only URL is the SVG namespace, which is a name, not a fetch.
        Matcher m = Pattern.compile("(https?:)?//[^\"'\\s)]+").matcher(h);
        while (m.find()) {
            assertThat(m.group()).isEqualTo("http://www.w3.org/2000/svg");
        }
        assertThat(h)
                .contains(
                        "<svg id=\"requests-by-model\"",
                        "<svg id=\"requests-by-country\"",
                        "<svg id=\"requests-over-time\"",
                        "<svg id=\"principals-by-model\"",
                        "<svg id=\"losing-by-citizenship\"");
    }

    @Test
    void the_two_policies_are_named_at_the_top_by_directive_id_title_and_authority() throws Exception {
        String html = html();
        ImpactReport r = SimulationTest.run(2);
        int policies = html.indexOf("In force now (baseline)");
        assertThat(policies).isPositive().isLessThan(html.indexOf("class=\"tiles\""));
        for (ImpactReport.PolicyDirective d : r.draftDirectives()) {
            assertThat(html).contains(d.id()).contains(d.title());
        }
        assertThat(html).contains("dir-frontier-us-only <b>(new)</b>");
    }

    @Test
    void names_from_the_data_are_escaped() {
        assertThat(ReportHtml.esc("<b>&\"'")).isEqualTo("&lt;b&gt;&amp;&quot;&#39;");
    }

    @Test
    void its_charts_render_in_headless_chromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "headless Chromium (/usr/bin/chromium) is not installed");
        Path dir = Path.of("target", "report-html");
        Files.createDirectories(dir);
        Path page = dir.resolve("report.html").toAbsolutePath();
        Path shot = dir.resolve("report.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        Files.writeString(page, html());
        Path profile = Files.createTempDirectory("chromium-profile");
        Process p = new ProcessBuilder(
                        CHROMIUM.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--user-data-dir=" + profile,
                        "--hide-scrollbars",
                        "--window-size=1200,2400",
                        "--screenshot=" + shot,
                        page.toUri().toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("chromium.log").toFile())
                .start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(shot).exists();
        BufferedImage img = ImageIO.read(shot.toFile());
        // The fixture has newly denied requests and principals: the red of that class must be on screen,
        // as must the greys of unchanged traffic, in real chart-sized areas (not just the legend).
        assertThat(pixels(img, 0xd62f2f)).isGreaterThan(5_000);
        assertThat(pixels(img, 0xd4dae3)).isGreaterThan(5_000);
        assertThat(pixels(img, 0x6b7686)).isGreaterThan(1_000);
    }

    private static int pixels(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y) & 0xffffff;
                if (Math.abs(((c >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= 3
                        && Math.abs(((c >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= 3
                        && Math.abs((c & 0xff) - (rgb & 0xff)) <= 3) {
                    n++;
                }
            }
        }
        return n;
    }
}
