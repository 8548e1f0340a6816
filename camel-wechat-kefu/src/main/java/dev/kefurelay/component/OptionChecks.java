package dev.kefurelay.component;

import static dev.kefurelay.util.Strings.blankToNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.kefurelay.message.AccountKind;
import dev.kefurelay.token.OptionNames;
import dev.kefurelay.token.TokenMode;
import dev.kefurelay.token.TokenSources;
import dev.kefurelay.wecom.ReusedMsgid;
import dev.kefurelay.wecom.WeComSettings;

/**
 * The rules of the component's options that are more than a type: the base URLs, the credentials each token mode
 * needs, the closed choices. Public and static so that a host with settings of its own (the relay's
 * {@code kefu.*}) checks them by the same rules; {@link OptionNames} names the options in its messages as the host's
 * users write them. A message names the key, and for a secret never the value.
 */
public final class OptionChecks {

    private OptionChecks() {
    }

    /**
     * The base URLs in failover order: comma separated, blanks skipped, a trailing slash dropped.
     *
     * @throws IllegalArgumentException naming {@code names.name("base-url")}: none given, or one not http(s)
     */
    public static List<URI> baseUrls(String value, OptionNames names) {
        String key = names.name("base-url");
        List<URI> urls = new ArrayList<>();
        for (String part : (value == null ? "" : value).split(",")) {
            String url = part.strip();
            if (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            if (url.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": '" + url + "' is not a URL");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(key + ": '" + url + "' is not an http(s) URL");
            }
            urls.add(uri);
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(key + " is empty");
        }
        return urls;
    }

    /**
     * The credentials a token mode needs and lacks, as keys (in the order of the options): in component mode the
     * platform's appid and secret; otherwise the secret of every account named (the default {@code appid} and
     * each of {@code accounts}). No account at all is no lack here: endpoints may bring theirs (option secret),
     * and a message for an appid nobody configured fails as invalid-input. A host that needs an account adds that
     * rule itself.
     */
    public static List<String> missingCredentials(TokenMode mode, String appid, String secret,
            Map<String, String> accounts, String componentAppid, String componentSecret, OptionNames names) {
        List<String> missing = new ArrayList<>();
        if (mode == TokenMode.COMPONENT) {
            if (blankToNull(componentAppid) == null) {
                missing.add(names.name("component-appid"));
            }
            if (blankToNull(componentSecret) == null) {
                missing.add(names.name("component-secret"));
            }
            return missing;
        }
        String defaultAppid = blankToNull(appid);
        accountSecrets(appid, secret, accounts).forEach((id, s) -> {
            if (s.isEmpty()) {
                missing.add(id.equals(defaultAppid) ? names.name("secret") : names.name("accounts", id));
            }
        });
        return missing;
    }

    /**
     * What the token sources need, from the component's options.
     *
     * @throws IllegalArgumentException naming the options that are missing for the token mode
     */
    static TokenSources.Settings tokenSettings(WeChatKefuComponentConfiguration c, OptionNames names) {
        TokenMode mode = c.getTokenMode();
        if (mode == null) {
            throw new IllegalArgumentException(names.name("token-mode") + " is not set: use one of "
                    + Arrays.stream(TokenMode.values()).map(TokenMode::wireName).collect(Collectors.joining(", ")));
        }
        List<String> missing = missingCredentials(mode, c.getAppid(), c.getSecret(), c.getAccounts(),
                c.getComponentAppid(), c.getComponentSecret(), names);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("wechat-kefu (token mode " + mode.wireName() + ") needs "
                    + String.join(", ", missing));
        }
        Map<String, String> seeds = new LinkedHashMap<>();
        if (c.getAuthorizers() != null) {
            c.getAuthorizers().forEach((id, t) -> seeds.put(id.strip(), t == null ? "" : t.strip()));
        }
        return new TokenSources.Settings(mode, Map.copyOf(accountSecrets(c.getAppid(), c.getSecret(),
                c.getAccounts())), blankToNull(c.getComponentAppid()), blankToNull(c.getComponentSecret()),
                blankToNull(c.getComponentTicket()), Map.copyOf(seeds), names);
    }

    /**
     * The accounts' kinds: appid → {@code official} or {@code miniprogram}.
     *
     * @throws IllegalArgumentException naming {@code names.name("account-kinds", appid)} of a value that is neither
     */
    public static Map<String, AccountKind> accountKinds(Map<String, String> kinds, OptionNames names) {
        Map<String, AccountKind> parsed = new LinkedHashMap<>();
        if (kinds != null) {
            kinds.forEach((id, kind) -> {
                String appid = id.strip();
                try {
                    parsed.put(appid, AccountKind.parse(kind == null ? "" : kind.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(names.name("account-kinds", appid) + ": " + e.getMessage());
                }
            });
        }
        return parsed;
    }

    /**
     * An endpoint's {@code kind}: null when not given (empty too, as a Kamelet passes it).
     *
     * @throws IllegalArgumentException naming the option, for a value that is neither kind
     */
    static AccountKind endpointKind(String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return AccountKind.parse(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("wechat-kefu: kind: " + e.getMessage());
        }
    }

    /** appid → secret of every official account named: {@code accounts}, and the default account after them. */
    private static Map<String, String> accountSecrets(String appid, String secret, Map<String, String> accounts) {
        Map<String, String> secrets = new LinkedHashMap<>();
        if (accounts != null) {
            accounts.forEach((id, s) -> secrets.put(id.strip(), s == null ? "" : s.strip()));
        }
        if (blankToNull(appid) != null) {
            secrets.put(appid.strip(), secret == null ? "" : secret.strip());
        }
        return secrets;
    }

    /**
     * The WeCom corps and API root, from the component's options; null when no corp is configured (then messages
     * with open_kfid fail as invalid-input, naming the options to set).
     *
     * @throws IllegalArgumentException naming the option: a corp without its secret, a bad base URL or errcode
     */
    static WeComSettings wecomSettings(WeChatKefuWeComOptions c, OptionNames names) {
        Map<String, String> corps = new LinkedHashMap<>();
        if (c.getWecomCorps() != null) {
            c.getWecomCorps().forEach((id, s) -> corps.put(id.strip(), s == null ? "" : s.strip()));
        }
        String corpid = blankToNull(c.getWecomCorpid());
        if (corpid != null) {
            corps.put(corpid.strip(), c.getWecomSecret() == null ? "" : c.getWecomSecret().strip());
        } else if (blankToNull(c.getWecomSecret()) != null) {
            throw new IllegalArgumentException(names.name("wecom-secret") + " is set but " + names.name("wecom-corpid")
                    + " is not: name the corp the secret belongs to");
        }
        List<String> missing = new ArrayList<>();
        corps.forEach((id, s) -> {
            if (s.isEmpty()) {
                missing.add(id.equals(corpid == null ? null : corpid.strip()) ? names.name("wecom-secret")
                        : names.name("wecom-corps", id));
            }
        });
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("wechat-kefu (WeCom) needs " + String.join(", ", missing));
        }
        if (corps.isEmpty()) {
            return null;
        }
        OptionNames wecomNames = (option, id) -> names.name("base-url".equals(option) ? "wecom-base-url" : option, id);
        return new WeComSettings(baseUrls(c.getWecomBaseUrl(), wecomNames), corps,
                corpid == null ? null : corpid.strip(),
                ReusedMsgid.parse(c.getWecomReusedMsgidErrcodes(), names.name("wecom-reused-msgid-errcodes")), names);
    }
}
