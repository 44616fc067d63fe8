package io.vaultcube.pipeline.run.gpu;

import io.vaultcube.pipeline.parse.ParseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NVIDIA GPUs on the PCI bus, from {@code lspci -nn -d 10de:} ({@code lspci.txt} of
 * validate-gpus.sh): functions of class 0300 (VGA) or 0302 (3D controller). A GPU that failed to
 * initialise shows here only, so this count is compared with the driver's. Audio functions (0403)
 * of the same cards are not GPUs. An empty file is zero devices (lspci prints nothing when none
 * matches); a line that is not an {@code lspci -nn} line of an NVIDIA function is refused.
 */
final class LspciCount {
    /** {@code 01:00.0 VGA compatible controller [0300]: NVIDIA Corporation Device [10de:2b85] (rev a1)}. */
    private static final Pattern LINE = Pattern.compile(
            "(?:[0-9a-fA-F]{4,}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7] .*?\\[([0-9a-fA-F]{4})\\]: .*\\[10de:[0-9a-fA-F]{4}\\].*");

    private LspciCount() {
    }

    /** The number of NVIDIA GPU functions the file lists. */
    static long gpus(Path file, String sourceName) throws IOException, ParseException {
        long count = 0;
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                Matcher m = LINE.matcher(line.strip());
                if (!m.matches()) {
                    throw new ParseException(sourceName, n, "not an 'lspci -nn -d 10de:' line: "
                            + (line.length() > 120 ? line.substring(0, 117) + "..." : line));
                }
                String cls = m.group(1);
                if (cls.equals("0300") || cls.equals("0302")) {
                    count++;
                }
            }
        } catch (MalformedInputException e) {
            throw new ParseException(sourceName, n + 1, "not text (bytes that are not UTF-8)");
        }
        return count;
    }
}
