package io.vaultcube.pipeline.gate.report.trend;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Debian's headless Chromium, as a person's browser for the page tests: a screenshot of a page, or
 * its DOM after its scripts ran. Also counts the round points of one colour in a screenshot.
 */
public final class Chromium {
    private final Path binary = Path.of("/usr/bin/chromium");
    private final Path profile;

    public Chromium(Path tmp) throws IOException {
        assertThat(Files.isExecutable(binary)).as("chromium is not installed: ./test.sh installs it "
                + "(tests/prerequisites.txt); on Debian: apt-get install chromium").isTrue();
        this.profile = Files.createDirectories(tmp.resolve("chromium-profile"));
    }

    /** A screenshot of {@code page} in a window of the given size. */
    public BufferedImage screenshot(Path page, Path png, int width, int height) throws Exception {
        run(page, "--screenshot=" + png, "--window-size=" + width + "," + height);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG screenshot").isNotNull();
        return image;
    }

    /** The page's DOM as serialised after its scripts ran. */
    public String dumpDom(Path page) throws Exception {
        return run(page, "--dump-dom");
    }

    private String run(Path page, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile));
        argv.addAll(List.of(args));
        argv.add(page.toUri().toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProcessResult result = new ProcessRunner().run(ProcessSpec.builder(argv).workingDirectory(page.getParent())
                .timeout(Duration.ofMinutes(3)).graces(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .console(out).build());
        assertThat(result.succeeded()).as("chromium: " + out.toString(StandardCharsets.UTF_8)).isTrue();
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * How many filled round marks of colour {@code rgb} the image shows: the pixels of that colour
     * whose whole (2r+1)-square neighbourhood has it too (a 2-pixel line does not, a 12-pixel point
     * does), grouped into connected blobs.
     */
    public static int points(BufferedImage image, int rgb, int r) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean[] colour = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                colour[y * w + x] = near(image.getRGB(x, y) & 0xffffff, rgb);
            }
        }
        boolean[] core = new boolean[w * h];
        for (int y = r; y < h - r; y++) {
            for (int x = r; x < w - r; x++) {
                boolean all = true;
                for (int dy = -r; dy <= r && all; dy++) {
                    for (int dx = -r; dx <= r && all; dx++) {
                        all = colour[(y + dy) * w + x + dx];
                    }
                }
                core[y * w + x] = all;
            }
        }
        int blobs = 0;
        int[] stack = new int[w * h];
        for (int i = 0; i < core.length; i++) {
            if (!core[i]) {
                continue;
            }
            blobs++;
            int top = 0;
            stack[top++] = i;
            core[i] = false;
            while (top > 0) {
                int p = stack[--top];
                int px = p % w;
                int py = p / w;
                for (int[] d : new int[][] {{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
                    int nx = px + d[0];
                    int ny = py + d[1];
                    if (nx >= 0 && ny >= 0 && nx < w && ny < h && core[ny * w + nx]) {
                        core[ny * w + nx] = false;
                        stack[top++] = ny * w + nx;
                    }
                }
            }
        }
        return blobs;
    }

    /** Whether two colours are within 24 of each other in every channel (antialiasing, colour profiles). */
    public static boolean near(int a, int b) {
        return Math.abs((a >> 16) - (b >> 16)) < 24 && Math.abs(((a >> 8) & 0xff) - ((b >> 8) & 0xff)) < 24
                && Math.abs((a & 0xff) - (b & 0xff)) < 24;
    }

    /** {@code #rrggbb} as an int. */
    public static int rgb(String hex) {
        return Integer.parseInt(hex.substring(1), 16);
    }
}
