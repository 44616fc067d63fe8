package io.vaultcube.pipeline.evidence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** One stage's directory inside an {@link EvidenceDir}. */
public final class StageEvidence {
    public static final String METRICS_FILE = "metrics.json";
    public static final String RECORD_FILE = "stage.json";

    private final EvidenceDir evidence;
    private final String name;
    private final Path dir;

    StageEvidence(EvidenceDir evidence, String name, Path dir) {
        this.evidence = evidence;
        this.name = name;
        this.dir = dir;
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public EvidenceDir evidence() {
        return evidence;
    }

    /** A file of this stage, by plain file name (no directories, no "..", not a reserved name). */
    public Path file(String fileName) {
        if (fileName == null || fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\")
                || fileName.equals(".") || fileName.equals("..")) {
            throw new IllegalArgumentException("not a plain file name: '" + fileName + "'");
        }
        return dir.resolve(fileName);
    }

    /** The source reference of a file of this stage, optionally at a line. */
    public EvidenceSource source(String fileName, Long line) {
        file(fileName);
        return new EvidenceSource(name + "/" + fileName, line);
    }

    public boolean hasMetrics() {
        return Files.isRegularFile(dir.resolve(METRICS_FILE));
    }

    public void writeMetrics(MetricSet metrics) throws IOException {
        writeAtomically(dir.resolve(METRICS_FILE), EvidenceJson.writeMetrics(name, metrics));
    }

    public MetricSet readMetrics() throws IOException {
        Path file = dir.resolve(METRICS_FILE);
        return EvidenceJson.readMetrics(readText(file), evidence.relativize(file));
    }

    public void writeRecord(StageRecord record) throws IOException {
        if (!record.stage().equals(name)) {
            throw new IllegalArgumentException("record of stage " + record.stage() + " written to stage " + name);
        }
        writeAtomically(dir.resolve(RECORD_FILE), EvidenceJson.writeStage(record));
    }

    public boolean hasRecord() {
        return Files.isRegularFile(dir.resolve(RECORD_FILE));
    }

    public StageRecord readRecord() throws IOException {
        Path file = dir.resolve(RECORD_FILE);
        return EvidenceJson.readStage(readText(file), evidence.relativize(file));
    }

    private static String readText(Path file) throws EvidenceException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new EvidenceException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new EvidenceException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Writes through a temporary file, fsyncs it and renames it into place, so a reader sees old or new. */
    static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
