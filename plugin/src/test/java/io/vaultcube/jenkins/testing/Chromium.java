package io.vaultcube.jenkins.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Headless Chromium (Debian's, tests/prerequisites.txt) as a person's browser: a screenshot and the DOM. */
public final class Chromium {
    private static final Path BINARY = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    /** Renders {@code html} at {@code width}×{@code height} into {@code png} and returns the image. */
    public static BufferedImage screenshot(Path html, Path png, int width, int height) throws Exception {
        png = png.toAbsolutePath();
        run(html, "--screenshot=" + png, "--window-size=" + width + "," + height);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG screenshot of " + html).isNotNull();
        return image;
    }

    /** The page's DOM after its scripts ran, as Chromium serialises it. */
    public static String dom(Path html) throws Exception {
        return run(html, "--dump-dom");
    }

    private static String run(Path html, String... what) throws Exception {
        assertThat(Files.isExecutable(BINARY)).as("chromium is not installed: ./test.sh installs it "
                + "(tests/prerequisites.txt); on Debian: apt-get install chromium").isTrue();
        Path dir = html.toAbsolutePath().getParent();
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--virtual-time-budget=5000",
                "--user-data-dir=" + profile));
        argv.addAll(List.of(what));
        argv.add(html.toUri().toString());
        ProcessResult result = new ProcessRunner().run(ProcessSpec.builder(argv).workingDirectory(dir)
                .timeout(Duration.ofMinutes(3)).graces(Duration.ofSeconds(5), Duration.ofSeconds(5)).console(out)
                .build());
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(result.succeeded()).as("chromium: " + text).isTrue();
        return text;
    }

    /** How many pixels are within 24 of the colour on each channel. */
    public static int count(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y) & 0xffffff;
                if (Math.abs((p >> 16) - (rgb >> 16)) < 24 && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) < 24
                        && Math.abs((p & 0xff) - (rgb & 0xff)) < 24) {
                    n++;
                }
            }
        }
        return n;
    }
}
