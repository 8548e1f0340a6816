package dev.kefurelay.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** media/upload, and custom/send's check of the media ids it issued. */
class MediaApiTest extends SandboxTestSupport {

    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'};

    @Test
    void mediaUploadChecksTypeFormatAndSizeLikeWeChat() throws Exception {
        String token = clientToken();
        Reply ok = upload(token, "image", "media", JPEG);
        assertEquals("image", ok.json().path("type").asText(), ok.body());
        assertTrue(ok.json().path("media_id").asText().startsWith("sandbox-media-image-"), ok.body());
        assertEquals(clock.instant().getEpochSecond(), ok.json().path("created_at").asLong());
        assertEquals(1, sandbox.uploads().size());
        assertEquals(JPEG.length, sandbox.uploads().get(0).bytes());

        assertError(40004, "invalid media type", upload(token, "picture", "media", JPEG));
        assertError(40005, "invalid file type", upload(token, "voice", "media", JPEG));
        assertError(40006, "invalid meida size", upload(token, "image", "media", new byte[0]));
        byte[] bigThumb = java.util.Arrays.copyOf(JPEG, 64 * 1024 + 1);
        assertError(45001, "media size out of limit", upload(token, "thumb", "media", bigThumb));
        assertError(41005, "media data missing", upload(token, "image", "file", JPEG));
        assertError(41001, "access_token missing", upload("", "image", "media", JPEG));
        assertEquals(1, sandbox.uploads().size());
    }

    @Test
    void customSendRefusesMediaIdsItDidNotIssueToTheSenderOrWhoseThreeDaysAreOver() throws Exception {
        sandbox.requireUploadedMedia(true);
        String token = clientToken();
        String id = upload(token, "image", "media", JPEG).json().path("media_id").asText();
        assertOk(send(token, image(id)));
        assertError(40007, "invalid media_id", send(token, image("made-up-id")));
        sandbox.verifyTicket(TICKET);
        String componentToken = componentToken(TICKET).json().get("component_access_token").asText();
        String authorizerToken = authorizerToken(componentToken, FIRST_REFRESH_TOKEN).json()
                .get("authorizer_access_token").asText();
        assertError(40007, "invalid media_id", send(authorizerToken, image(id))); // another account's upload
        clock.advance(Duration.ofDays(3).minusSeconds(1));
        assertOk(send(clientToken(), image(id)));
        clock.advance(Duration.ofSeconds(1));
        assertError(40007, "invalid media_id", send(clientToken(), image(id)));

        sandbox.requireUploadedMedia(false);
        assertOk(send(clientToken(), image("made-up-id")));
    }

    private static String image(String mediaId) {
        return "{\"touser\":\"" + OPENID + "\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"" + mediaId + "\"}}";
    }

    /** A multipart/form-data POST with one file part, as HTTP clients send it. */
    private Reply upload(String token, String type, String field, byte[] content) throws Exception {
        String boundary = "----sandboxtest" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field
                + "\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/cgi-bin/media/upload?access_token="
                        + token + "&type=" + type))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return Reply.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8)));
    }
}
