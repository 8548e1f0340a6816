package dev.kefurelay.message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one way untrusted JSON (a message, a dropped file) is read: strictly, within limits, and with errors that
 * say what is wrong without repeating the input. Jackson alone accepts duplicate keys (the last one silently
 * wins), nests until the stack runs out or its own default limit trips, and quotes input tokens in its messages.
 */
public final class StrictJson {

    /**
     * Nesting limit. The deepest message WeChat takes is 4 levels ({@code news.articles[0]}); the margin is for a
     * {@code .json} array of messages and pass-through objects such as {@code aimsgcontext}.
     */
    public static final int MAX_DEPTH = 32;
    /** Longest string value in characters: a message is at most {@link MessageReader#MAX_BYTES} anyway. */
    public static final int MAX_STRING_CHARS = MessageReader.MAX_BYTES;
    /** Longest number in digits: enough for any order number, far too short to be a parsing cost. */
    public static final int MAX_NUMBER_DIGITS = 64;
    /** Longest excerpt of untrusted text in an error message. */
    public static final int EXCERPT_CHARS = 40;

    private static final int MAX_NAME_CHARS = 256;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxStringLength(MAX_STRING_CHARS)
                            .maxNumberLength(MAX_NUMBER_DIGITS)
                            .maxNameLength(MAX_NAME_CHARS)
                            .build())
                    // Jackson's own messages quote input tokens; ours are built from the location and an excerpt
                    .errorReportConfiguration(ErrorReportConfiguration.builder()
                            .maxErrorTokenLength(0).maxRawContentLength(0).build())
                    .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {
    }

    /**
     * Parses one JSON document strictly: duplicate keys, nesting beyond {@link #MAX_DEPTH}, over-long strings,
     * names or numbers, and trailing tokens are refused.
     *
     * @param what names the input in the error, e.g. "the message" or "'orders.json'"
     * @throws InvalidMessageException naming {@code what} and the line and column of the problem
     */
    public static JsonNode parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new InvalidMessageException(what + " is empty");
        }
        try (JsonParser parser = MAPPER.createParser(text)) {
            try {
                return MAPPER.readTree(parser);
            } catch (JsonProcessingException e) {
                throw new InvalidMessageException(what + " is not valid JSON" + at(parser, e) + ": "
                        + problem(parser, e, text));
            }
        } catch (IOException e) {
            // a String source has no I/O; closing it cannot fail either
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes UTF-8 strictly: malformed or truncated sequences are refused instead of being replaced by U+FFFD,
     * which would send a customer altered text.
     *
     * @throws InvalidMessageException "&lt;what&gt; is not valid UTF-8 at byte N" (N counts from 0)
     */
    public static String utf8(byte[] bytes, String what) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            // the decoder stops at the first byte of the bad sequence
            throw new InvalidMessageException(what + " is not valid UTF-8 at byte " + in.position());
        }
        return out.flip().toString();
    }

    /**
     * A short, escaped excerpt of untrusted text, for error messages: at most {@link #EXCERPT_CHARS} characters,
     * control characters, quotes and backslashes escaped, so the excerpt can neither carry a whole secret nor
     * forge a log line.
     */
    public static String excerpt(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        int i = 0;
        while (i < text.length() && shown < EXCERPT_CHARS) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            shown++;
            appendEscaped(sb, cp);
        }
        return i < text.length() ? sb.append('…').toString() : sb.toString();
    }

    private static void appendEscaped(StringBuilder sb, int cp) {
        switch (cp) {
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            default -> {
                int type = Character.getType(cp);
                // invisible or line-breaking characters (and lone surrogates) would hide or forge text in a log
                if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                    for (char c : Character.toChars(cp)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    }
                } else {
                    sb.appendCodePoint(cp);
                }
            }
        }
    }

    private static String at(JsonParser parser, JsonProcessingException e) {
        // A limit exception carries no location: ask the parser instead.
        JsonLocation location = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String problem(JsonParser parser, JsonProcessingException e, String text) {
        if (e instanceof StreamConstraintsException) {
            return limit(e.getOriginalMessage());
        }
        if (e instanceof JsonEOFException) {
            return "it ends too early";
        }
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (message.startsWith("Duplicate ")) {
            return "key \"" + excerpt(parser.getParsingContext().getCurrentName()) + "\" appears twice in one object";
        }
        if (message.startsWith("Trailing token")) {
            return "more follows after the end of the JSON value";
        }
        JsonLocation location = e.getLocation();
        long offset = location == null ? -1 : location.getCharOffset();
        if (offset >= 0 && offset <= text.length()) {
            return "unexpected input near \"" + excerpt(text.substring((int) Math.max(0, offset - 1))) + "\"";
        }
        return "unexpected input";
    }

    /** Jackson's limit messages hold numbers only; they are mapped to ours so the limit is named the same way. */
    private static String limit(String message) {
        String m = message == null ? "" : message;
        if (m.contains("nesting depth")) {
            return "nested more than " + MAX_DEPTH + " levels deep (StrictJson.MAX_DEPTH)";
        }
        if (m.startsWith("String value length")) {
            return "a string is longer than " + MAX_STRING_CHARS + " characters";
        }
        if (m.startsWith("Number value length")) {
            return "a number is longer than " + MAX_NUMBER_DIGITS + " digits";
        }
        if (m.startsWith("Name length")) {
            return "a key is longer than " + MAX_NAME_CHARS + " characters";
        }
        return "it is larger than the reader's limits allow";
    }
}
