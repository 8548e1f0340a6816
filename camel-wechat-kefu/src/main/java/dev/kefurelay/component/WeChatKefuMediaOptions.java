package dev.kefurelay.component;

import java.time.Duration;

import dev.kefurelay.media.MediaIds;
import dev.kefurelay.media.MediaLimits;
import org.apache.camel.spi.UriParam;

/**
 * The component's media options (group media in the catalog): where file sources are read, the size limits per
 * type, source_url downloads and the memory of uploaded media ids. A superclass of
 * {@link WeChatKefuComponentConfiguration} only to keep this concern apart: the options are the component's like
 * the others ({@code camel.component.wechat-kefu.media-*}, flattened by camel-package-maven-plugin).
 */
public abstract class WeChatKefuMediaOptions {

    @UriParam(label = "media", defaultValue = "data/media",
            description = "The folder of media sources given as file / thumb_file: a path is relative to it and must "
                    + "stay inside it (no absolute path, no '..', no symbolic link out of it). A route may name "
                    + "another folder per message in the exchange property KefuMediaDir (the relay's inbox does: "
                    + "files beside the dropped message file).")
    private String mediaDir = "data/media";
    @UriParam(label = "media", defaultValue = "10485760", description = "Largest image (PNG, JPEG, GIF) in bytes. "
            + "WeChat's page gives 10 MB in its table and 2 MB in its text; set 2097152 for the stricter reading.")
    private long mediaImageMaxSize = MediaLimits.DEFAULTS.image();
    @UriParam(label = "media", defaultValue = "2097152", description = "Largest voice (AMR, MP3) in bytes.")
    private long mediaVoiceMaxSize = MediaLimits.DEFAULTS.voice();
    @UriParam(label = "media", defaultValue = "10485760", description = "Largest video (MP4) in bytes.")
    private long mediaVideoMaxSize = MediaLimits.DEFAULTS.video();
    @UriParam(label = "media", defaultValue = "65536", description = "Largest thumb (JPEG) in bytes.")
    private long mediaThumbMaxSize = MediaLimits.DEFAULTS.thumb();
    @UriParam(label = "media", defaultValue = "30s", javaType = "java.time.Duration",
            description = "The longest a whole source_url fetch may take, from the host's lookup to the last byte and "
                    + "across redirects, however slowly the server sends; it is cut off then (and at the type's size "
                    + "limit), and the message fails as invalid-input. More than 0.")
    private Duration mediaUrlTimeout = Duration.ofSeconds(30);
    @UriParam(label = "media", description = "Hosts and address ranges a source_url may be fetched from although "
            + "they are not public, comma-separated: host names (whatever they resolve to) and CIDR ranges, e.g. "
            + "10.1.0.0/16,media.internal. Empty by default: only public addresses, never loopback, private, "
            + "link-local, unique-local or other special-purpose ones, checked on the address connected to, at "
            + "every redirect.")
    private String mediaAllowHosts;
    @UriParam(label = "media,advanced", description = "Where uploaded media ids are remembered, per account and "
            + "content (SHA-256), until an hour before WeChat's 3 days end. Default: in memory, per component, and "
            + "with storeDataSource in the shared store too, so that every instance sends a picture from one upload.")
    private MediaIds mediaIds;

    public String getMediaDir() {
        return mediaDir;
    }

    public void setMediaDir(String mediaDir) {
        this.mediaDir = mediaDir;
    }

    public long getMediaImageMaxSize() {
        return mediaImageMaxSize;
    }

    public void setMediaImageMaxSize(long mediaImageMaxSize) {
        this.mediaImageMaxSize = mediaImageMaxSize;
    }

    public long getMediaVoiceMaxSize() {
        return mediaVoiceMaxSize;
    }

    public void setMediaVoiceMaxSize(long mediaVoiceMaxSize) {
        this.mediaVoiceMaxSize = mediaVoiceMaxSize;
    }

    public long getMediaVideoMaxSize() {
        return mediaVideoMaxSize;
    }

    public void setMediaVideoMaxSize(long mediaVideoMaxSize) {
        this.mediaVideoMaxSize = mediaVideoMaxSize;
    }

    public long getMediaThumbMaxSize() {
        return mediaThumbMaxSize;
    }

    public void setMediaThumbMaxSize(long mediaThumbMaxSize) {
        this.mediaThumbMaxSize = mediaThumbMaxSize;
    }

    public Duration getMediaUrlTimeout() {
        return mediaUrlTimeout;
    }

    public void setMediaUrlTimeout(Duration mediaUrlTimeout) {
        this.mediaUrlTimeout = mediaUrlTimeout;
    }

    public String getMediaAllowHosts() {
        return mediaAllowHosts;
    }

    public void setMediaAllowHosts(String mediaAllowHosts) {
        this.mediaAllowHosts = mediaAllowHosts;
    }

    public MediaIds getMediaIds() {
        return mediaIds;
    }

    public void setMediaIds(MediaIds mediaIds) {
        this.mediaIds = mediaIds;
    }
}
