package io.vaultcube.pipeline.image.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.image.ImageJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code REPO/audit.jsonl}: one JSON object per line, appended and fsynced under the audit lock,
 * never rewritten. A line cut short by a crash is not a complete line: readers skip it and the
 * next append starts on a fresh line.
 */
public final class AuditLog {
    public static final String SCHEMA = "vault-audit/1";

    private final RepositoryLayout layout;

    AuditLog(RepositoryLayout layout) {
        this.layout = layout;
    }

    public Path file() {
        return layout.auditLog();
    }

    /** Appends one entry durably. */
    void append(ObjectNode entry, Duration lockTimeout, Consumer<String> notes) throws IOException, InterruptedException {
        ObjectNode line = ImageJson.mapper().createObjectNode();
        line.put("schema", SCHEMA);
        line.setAll(entry);
        byte[] bytes = (ImageJson.writeLine(line) + "\n").getBytes(StandardCharsets.UTF_8);
        Fs.refuseLinks(layout.root(), layout.auditLock());
        Fs.refuseLinks(layout.root(), layout.auditLog());
        try (RepositoryLock lock = RepositoryLock.acquire(layout.auditLock(), lockTimeout, notes)) {
            boolean created = !Files.exists(layout.auditLog(), LinkOption.NOFOLLOW_LINKS);
            // Only the holder of the audit lock writes, so the end of the file stays where it is.
            try (FileChannel channel = Fs.openNoFollow(layout.auditLog(), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                Fs.refuseHardLinks(layout.auditLog());
                long size = channel.size();
                if (size > 0) {
                    ByteBuffer last = ByteBuffer.allocate(1);
                    channel.read(last, size - 1);
                    if (last.get(0) != '\n') {
                        // The previous append was cut short: keep this entry on a line of its own.
                        bytes = ("\n" + new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                    }
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                long position = size;
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                channel.force(true);
            }
            if (created) {
                Fs.fsyncDirectory(layout.root());
            }
        }
    }

    /** Every complete entry, oldest first; lines that are not JSON objects are reported and skipped. */
    public List<JsonNode> read(Consumer<String> problems) throws IOException {
        byte[] bytes;
        try {
            bytes = Fs.readNoFollow(layout.auditLog());
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<JsonNode> entries = new ArrayList<>();
        int start = 0;
        int number = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            number++;
            if (end == bytes.length) {
                // No newline yet: being appended right now, or cut short by a crash.
                break;
            }
            byte[] line = Arrays.copyOfRange(bytes, start, end);
            start = end + 1;
            if (line.length == 0) {
                continue;
            }
            try {
                JsonNode node = ImageJson.parseObject(line, layout.auditLog() + ":" + number);
                if (!SCHEMA.equals(node.path("schema").asText())) {
                    problems.accept(layout.auditLog() + ":" + number + ": not a " + SCHEMA + " entry");
                    continue;
                }
                entries.add(node);
            } catch (IOException e) {
                problems.accept(e.getMessage() + " (a line cut short by a crash?)");
            }
        }
        return entries;
    }
}
