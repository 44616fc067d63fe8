package io.vaultcube.pipeline.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How a benchmark or stress workload hands its JSON result to the runner: the runner appends
 * nothing to the command; it sets {@value #VARIABLE} to a file in the stage directory, and our
 * scripts ({@code test-pytorch-ddp.py}, {@code test-tensorflow.py}, {@code test-vllm-inference.py},
 * {@code stress-gpus.py}) take it as the default of {@code --json-out}.
 */
public final class ResultJson {
    /** The environment variable naming the result file. */
    public static final String VARIABLE = "VAULT_RESULT_JSON";

    private ResultJson() {
    }

    /** The {@code schema} member of a JSON object file, if it is one and has a string schema. */
    public static Optional<String> schema(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            JsonNode schema = root == null ? null : root.get("schema");
            return schema != null && schema.isTextual() ? Optional.of(schema.asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The file a command names after one of the options (e.g. {@code --json-out F} or
     * {@code --json-out=F}), resolved against the working directory; empty when it names none.
     */
    public static Optional<Path> namedIn(List<String> argv, Path workingDirectory, String... options) {
        Path found = null;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            for (String o : options) {
                if (a.equals(o) && i + 1 < argv.size()) {
                    found = workingDirectory.resolve(argv.get(i + 1));
                } else if (a.startsWith(o + "=")) {
                    found = workingDirectory.resolve(a.substring(o.length() + 1));
                }
            }
        }
        return Optional.ofNullable(found);
    }
}
