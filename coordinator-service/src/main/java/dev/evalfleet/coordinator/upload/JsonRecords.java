package dev.evalfleet.coordinator.upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an uploaded file of JSON objects, one per line (JSONL) or as a JSON array, plain or gzip,
 * keeping the line each object starts on so errors can name it.
 */
public final class JsonRecords {

    /** One object of the file and the 1-based line it starts on. */
    public record JsonRecord(int line, JsonNode node) {}

    private final JsonMapper json;
    private final long maxDecompressedBytes;

    public JsonRecords(JsonMapper json, long maxDecompressedBytes) {
        this.json = json;
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /** The objects of the file; what cannot be read is added to {@code errors}. */
    public List<JsonRecord> read(byte[] upload, LineErrors errors) {
        byte[] content = decompress(upload, errors);
        if (content == null) {
            return List.of();
        }
        String text = new String(content, StandardCharsets.UTF_8);
        return text.stripLeading().startsWith("[") ? readArray(text, errors) : readLines(text, errors);
    }

    private byte[] decompress(byte[] upload, LineErrors errors) {
        boolean gzip = upload.length > 2 && (upload[0] & 0xff) == 0x1f && (upload[1] & 0xff) == 0x8b;
        if (!gzip) {
            return upload;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(upload))) {
            // read one byte past the limit so a gzip bomb is refused rather than inflated
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxDecompressedBytes + 1));
            if (bytes.length > maxDecompressedBytes) {
                errors.add(null, null, "decompressed file exceeds " + maxDecompressedBytes + " bytes");
                return null;
            }
            return bytes;
        } catch (IOException e) {
            errors.add(null, null, "not a valid gzip file: " + e.getMessage());
            return null;
        }
    }

    private List<JsonRecord> readLines(String text, LineErrors errors) {
        List<JsonRecord> records = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                JsonNode node = json.readTree(lines[i]);
                if (node.isObject()) {
                    records.add(new JsonRecord(i + 1, node));
                } else {
                    errors.add(i + 1, null, "expected a JSON object");
                }
            } catch (JacksonException e) {
                errors.add(i + 1, null, "not valid JSON: " + e.getOriginalMessage());
            }
        }
        return records;
    }

    private List<JsonRecord> readArray(String text, LineErrors errors) {
        List<JsonRecord> records = new ArrayList<>();
        // the array is read item by item, so the rest of it is not "trailing" after one item
        ObjectReader items = json.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try (JsonParser parser = json.createParser(text)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                int line = parser.currentTokenLocation().getLineNr();
                records.add(new JsonRecord(line, items.readValue(parser)));
            }
            if (parser.currentToken() != JsonToken.END_ARRAY) {
                errors.add(parser.currentTokenLocation().getLineNr(), null, "expected a JSON object in the array");
            }
        } catch (JacksonException e) {
            Integer line = e.getLocation() == null ? null : e.getLocation().getLineNr();
            errors.add(line, null, "not valid JSON: " + e.getOriginalMessage());
        }
        return records;
    }
}
