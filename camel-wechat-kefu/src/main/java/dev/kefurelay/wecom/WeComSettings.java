package dev.kefurelay.wecom;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kefurelay.token.OptionNames;

/**
 * What the WeCom side needs from the component's options. {@link #toString()} names no secret.
 *
 * @param corps          corpid → the secret of its 微信客服 app (the default corp among them)
 * @param defaultCorpid  the corp of a message that names none, or null
 * @param reusedErrcodes errcodes that mean a reused msgid whatever their words ({@link ReusedMsgid})
 * @param names          how errors name the options to set
 */
public record WeComSettings(List<URI> baseUrls, Map<String, String> corps, String defaultCorpid,
        Set<Integer> reusedErrcodes, OptionNames names) {

    public WeComSettings {
        baseUrls = List.copyOf(baseUrls);
        corps = Map.copyOf(corps);
        reusedErrcodes = Set.copyOf(reusedErrcodes);
    }

    @Override
    public String toString() {
        return "WeComSettings[" + baseUrls + ", corps=" + corps.keySet() + ", default=" + defaultCorpid + "]";
    }
}
