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
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an uploaded file of JSON objects, one per line (JSONL) or as a JSON array, plain or gzip,
 * keeping the line each object starts on so errors can name it.
 *
 * <p>The files are written by Python's {@code json} module, so what it writes is read: {@code NaN}
 * and {@code Infinity}, and integers of up to Python's 4300 digits. A property named twice is an
 * error rather than one of the two values silently winning.
 */
public final class JsonRecords {

    /**
     * One object of the file, the 1-based line it starts on and its text as the file has it.
     *
     * @param source the object's text, so a value can be passed on exactly as written ({@link
     *     JsonRecords#rawValue})
     */
    public record JsonRecord(int line, JsonNode node, String source) {}

    private static final int PYTHON_MAX_INT_DIGITS = 4300;

    private final ObjectReader trees;
    private final long maxDecompressedBytes;

    public JsonRecords(long maxDecompressedBytes) {
        JsonFactory pythonJson = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNumberLength(PYTHON_MAX_INT_DIGITS + 1)
                        .build())
                .build();
        this.trees = JsonMapper.builder(pythonJson).build().readerFor(JsonNode.class);
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /**
     * The value of the record's top-level {@code field} exactly as the file writes it (number
     * formats, spacing and all), or {@code null} when the record has no such field.
     */
    public String rawValue(JsonRecord record, String field) {
        try (JsonParser parser = trees.createParser(record.source())) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals(field)) {
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    return record.source()
                            .substring(start, (int) parser.currentLocation().getCharOffset());
                }
                parser.skipChildren();
            }
            return null;
        }
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
                JsonNode node = trees.readValue(lines[i]);
                if (node != null && node.isObject()) {
                    records.add(new JsonRecord(i + 1, node, lines[i]));
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
        ObjectReader items = trees.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try (JsonParser parser = items.createParser(text)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                int line = parser.currentTokenLocation().getLineNr();
                int start = (int) parser.currentTokenLocation().getCharOffset();
                JsonNode node = items.readValue(parser);
                int end = (int) parser.currentLocation().getCharOffset();
                records.add(new JsonRecord(line, node, text.substring(start, end)));
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
