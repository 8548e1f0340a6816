package dev.kefurelay.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.sandbox.KfUpload;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WeCom 微信客服 message dropped in the relay's inbox with its file beside it: the relay's own inbox route, real
 * files, the sandbox's WeCom over real HTTP refusing any media_id its corp did not upload.
 */
class InboxWeComMediaTest {

    private static final String CORPID = "wwinboxmediatest01";
    private static final String CORP_SECRET = "inbox-media-corp-secret";
    private static final String KF = "wkInboxMediaKf0001";
    private static final String CUSTOMER = "wmInboxMediaCustomer01";

    @TempDir
    Path dir;
    private WeChatSandbox sandbox;
    private SandboxWeCom wecom;
    private KefuRelay relay;

    @BeforeEach
    void start() throws Exception {
        sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET);
        wecom = sandbox.wecom().corp(CORPID, CORP_SECRET).kfAccount(CORPID, KF).requireUploadedMedia(true);
        wecom.customerWrites(KF, CUSTOMER, "could you send the offer?");
        relay = KefuRelay.start(TestRelays.properties(dir, sandbox, Map.of("kefu.wecom.corpid", CORPID,
                "kefu.wecom.secret", CORP_SECRET, "kefu.wecom.base-url", sandbox.baseUrl())));
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        sandbox.close();
    }

    @Test
    void aFileBesideTheMessageIsUploadedToWeComUnderItsNameAndMovesWithItToDone() throws Exception {
        Path inbox = dir.resolve("inbox");
        Files.createDirectories(inbox);
        byte[] pdf = "%PDF-1.7 the offer".getBytes(StandardCharsets.US_ASCII);
        Files.write(inbox.resolve("报价单.pdf"), pdf);
        Path tmp = inbox.resolve("offer.json.tmp");
        Files.writeString(tmp, "{\"id\":\"offer-1\",\"touser\":\"" + CUSTOMER + "\",\"open_kfid\":\"" + KF
                + "\",\"msgtype\":\"file\",\"file\":{\"file\":\"报价单.pdf\"}}", StandardCharsets.UTF_8);
        Files.move(tmp, inbox.resolve("offer.json"));

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve(".done/offer.json")));
        assertTrue(Files.exists(inbox.resolve(".done/报价单.pdf")), "the file moved with its message file");
        assertFalse(Files.exists(inbox.resolve("报价单.pdf")));
        List<KfUpload> uploads = wecom.uploaded();
        assertEquals(List.of(new KfUpload(CORPID, "file", uploads.get(0).mediaId(), pdf.length, "报价单.pdf")),
                uploads);
        assertEquals(1, wecom.sent().size());
        assertEquals("offer-1", wecom.sent().get(0).msgid());
        assertEquals(uploads.get(0).mediaId(), wecom.sent().get(0).body().path("file").path("media_id").asText());
        assertEquals(List.of(), sandbox.uploads(), "nothing went to WeChat");
    }
}
