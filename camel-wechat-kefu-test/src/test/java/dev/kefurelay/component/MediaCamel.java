package dev.kefurelay.component;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The media tests' Camel: a {@link SandboxCamel} started before each test with {@link MediaFixture#localMedia} (the
 * test's media folder, loopback URL sources, a {@link MediaFixture.Counting} listener), against a sandbox that refuses
 * (40007) any media_id it did not issue. For WeCom, the customer's session is open first
 * ({@link WeComMediaFixture#openSession}). The media folder is the test's own {@code @TempDir}, which JUnit makes
 * before this extension's beforeEach runs:
 * <pre>
 * &#64;TempDir
 * Path media;
 * &#64;RegisterExtension
 * final MediaCamel camel = MediaCamel.weChat(wechat, () -&gt; media);
 * </pre>
 */
final class MediaCamel implements BeforeEachCallback, AfterEachCallback {

    private final WeChatKefuSandboxExtension wechat;
    private final SandboxCamel camel;
    private final Supplier<Path> media;
    private final Duration urlTimeout;
    private final boolean wecomSession;
    private final MediaFixture.Counting counting = new MediaFixture.Counting();
    private WeChatSandbox sandbox;
    private SandboxWeCom wecom;
    private ProducerTemplate template;

    private MediaCamel(WeChatKefuSandboxExtension wechat, Supplier<Path> media, Duration urlTimeout,
            boolean wecomSession) {
        this.wechat = wechat;
        this.camel = new SandboxCamel(wechat);
        this.media = media;
        this.urlTimeout = urlTimeout;
        this.wecomSession = wecomSession;
    }

    /** Official-account media; URL sources cut off after 1.5 s, so that the slow-server tests stay quick. */
    static MediaCamel weChat(WeChatKefuSandboxExtension wechat, Supplier<Path> media) {
        return new MediaCamel(wechat, media, Duration.ofMillis(1500), false);
    }

    /** WeCom media to the customer's open session. */
    static MediaCamel weCom(WeChatKefuSandboxExtension wechat, Supplier<Path> media) {
        return new MediaCamel(wechat, media, Duration.ofSeconds(5), true);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        sandbox = wechat.sandbox().requireUploadedMedia(true);
        if (wecomSession) {
            wecom = WeComMediaFixture.openSession(sandbox);
        }
        template = camel.start(o -> MediaFixture.localMedia(o, media.get(), urlTimeout, counting));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        camel.afterEach(context);
    }

    WeChatSandbox sandbox() {
        return sandbox;
    }

    /** The sandbox's WeCom (for {@link #weCom}). */
    SandboxWeCom wecom() {
        return wecom;
    }

    ProducerTemplate template() {
        return template;
    }

    MediaFixture.Counting counting() {
        return counting;
    }

    /** {@code body} sent with the outcome in the reply, not thrown. */
    Exchange send(String body) {
        return template.request("wechat-kefu:send?failure=outcome", e -> e.getMessage().setBody(body));
    }

    /** {@code body} is refused as invalid input with {@code expected} in its error, and no token in it. */
    void assertRefused(String body, String expected) {
        MediaFixture.assertRefused(send(body), expected, sandbox);
    }
}
