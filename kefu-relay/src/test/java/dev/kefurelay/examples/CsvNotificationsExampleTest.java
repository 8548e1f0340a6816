package dev.kefurelay.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.kefurelay.testkit.KefuSandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** examples/csv-notifications: one message per row; undelivered rows land in .error/ with the reason. */
class CsvNotificationsExampleTest {

    static final Path FOLDER = tempDir();

    @RegisterExtension
    static KefuSandboxExtension wechat = new KefuSandboxExtension()
            .withRoutes("file:examples/csv-notifications/*.camel.yaml")
            .withProperty("notifications.dir", FOLDER.toString());

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("kefu-csv-example");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Written under another name and renamed, as a producer should, so the route never reads half a file. */
    private static void drop(String name, Path source) throws IOException {
        Path tmp = FOLDER.resolve(name + ".part");
        Files.copy(source, tmp);
        Files.move(tmp, FOLDER.resolve(name));
    }

    @Test
    void everyRowOfTheShippedSampleBecomesOneMessage() throws Exception {
        drop("sample.csv", Path.of("examples/csv-notifications/notifications.csv"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(FOLDER.resolve(".done/sample.csv")));
        assertEquals(2, wechat.delivered().size());
        assertEquals("oUserOpenId000000000000001", wechat.delivered().get(0).touser());
        assertEquals("您的预约已确认，明天 10:00 见", wechat.delivered().get(0).body().path("text").path("content").asText());
        assertEquals("Your parcel, order A-1002, is on its way",
                wechat.delivered().get(1).body().path("text").path("content").asText(), "commas stay in the text");
    }

    @Test
    void aRowWeChatRefusesIsWrittenToTheFailedFileWithItsReason() throws Exception {
        wechat.failNext(43004);
        Path csv = Files.createTempFile("rows", ".csv");
        Files.writeString(csv, "openid,text\r\noNotFollowing01,first\r\n\r\noFollowing0002,second\r\n",
                StandardCharsets.UTF_8);
        drop("refused.csv", csv);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(FOLDER.resolve(".done/refused.csv")));
        assertEquals(1, wechat.delivered().size(), "the blank line is skipped, the second row delivered");
        assertEquals("oFollowing0002", wechat.delivered().get(0).touser());
        List<String> failed = Files.readAllLines(FOLDER.resolve(".error/refused.failed.csv"));
        assertEquals(List.of("oNotFollowing01,first,wechat-error,43004"), failed);
        assertTrue(wechat.sandbox().sendCalls() == 2);
    }
}
