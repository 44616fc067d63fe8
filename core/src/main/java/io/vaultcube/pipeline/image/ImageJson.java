package io.vaultcube.pipeline.image;

import io.vaultcube.pipeline.evidence.JsonProblems;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** Strict JSON for the image package: duplicate keys, trailing garbage and non-UTF-8 bytes are errors. */
public final class ImageJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ImageJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses a JSON object; {@code where} names the file in the message of the IOException it throws. */
    public static JsonNode parseObject(byte[] bytes, String where) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(where + ": not UTF-8 text", e);
        }
        try {
            JsonNode root = MAPPER.readTree(text);
            if (root == null || !root.isObject()) {
                throw new IOException(where + ": not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new IOException(JsonProblems.describe(where, e), e);
        }
    }

    /** Pretty-printed JSON with a final newline. */
    public static byte[] write(JsonNode node) {
        try {
            return (MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** One line of JSON (for the audit log), without a newline. */
    public static String writeLine(JsonNode node) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
