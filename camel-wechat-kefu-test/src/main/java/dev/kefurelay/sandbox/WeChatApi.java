package dev.kefurelay.sandbox;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * WeChat's API in the sandbox: the parts it answers from, all on the sandbox's one clock, and the path each call is
 * answered on ({@link #register}). {@link WeChatSandbox} is the test kit's face of them; WeCom's API is
 * {@link WeComApi}'s. What it imitates of WeChat: {@code GET /cgi-bin/token} (a new token per fetch; the one before
 * keeps working for 5 minutes) and {@code POST /cgi-bin/stable_token} (the same token while it is valid;
 * {@code force_refresh} replaces it) with {@code expires_in} 7200 s unless shortened; the third-party platform's
 * {@code api_component_token} (needs the latest {@code component_verify_ticket}), {@code api_query_auth} (a one-time
 * authorization code for the first refresh token) and {@code api_authorizer_token} (rotates the
 * {@code authorizer_refresh_token}; an old one answers 61023); {@code /cgi-bin/message/custom/send} and
 * {@code custom/typing}, which check the token (40001 once revoked, 42001 once expired), the body's JSON and each
 * type's required fields (47001, as WeChat answers a missing one) and answer WeChat's errmsg for every errcode
 * ({@link ErrorCodes}); {@code /cgi-bin/media/upload} for temporary media, whose ids custom/send can be made to
 * check ({@link WeChatSandbox#requireUploadedMedia}; see {@link MediaApi}); {@code /cgi-bin/message/template/send}
 * and {@code subscribe/bizsend} with the templates each account registered and users' consents ({@link TemplateApi},
 * {@link SubscribeApi}).
 *
 * @param uploadFaults media/upload's own injected failures, apart from the ones every call may get ({@code faults})
 * @param traffic      what arrived and what was answered, for the tests' assertions
 */
record WeChatApi(Accounts accounts, Authorizers authorizers, TokenIssuer issuer, Faults faults, Faults uploadFaults,
        MediaApi media, Traffic traffic, Windows windows, BusinessTyping businessTyping, Templates templates,
        TemplateApi templateApi) {

    /** @param pushTarget where template/send's job reports are pushed, once the sandbox was pointed at a relay */
    static WeChatApi on(SandboxClock clock, Supplier<Pushes> pushTarget) {
        TokenIssuer issuer = new TokenIssuer(clock);
        Faults uploadFaults = new Faults();
        Traffic traffic = new Traffic();
        Windows windows = new Windows(clock);
        Templates templates = new Templates();
        return new WeChatApi(new Accounts(), new Authorizers(), issuer, new Faults(), uploadFaults,
                new MediaApi(issuer, clock, uploadFaults, traffic), traffic, windows,
                new BusinessTyping(clock, windows), templates,
                new TemplateApi(issuer, templates, windows, traffic, clock, pushTarget));
    }

    /** Adds WeChat's paths; media/upload first, since WeCom's takes it over for corps' tokens. */
    void register(Map<String, Function<ApiRequest, ApiReply>> routes) {
        TokenApi tokens = new TokenApi(accounts, authorizers, issuer, traffic);
        MessageApi messages = new MessageApi(issuer, faults, traffic, media, windows, accounts, businessTyping);
        SubscribeApi subscribe = new SubscribeApi(issuer, templates, traffic);
        routes.put("/cgi-bin/token", tokens::clientCredential);
        routes.put("/cgi-bin/stable_token", tokens::stable);
        routes.put("/cgi-bin/component/api_component_token", tokens::componentToken);
        routes.put("/cgi-bin/component/api_authorizer_token", tokens::authorizerToken);
        routes.put("/cgi-bin/component/api_query_auth", tokens::queryAuth);
        routes.put(MessageApi.SEND, messages::send);
        routes.put(MessageApi.TYPING, messages::typing);
        routes.put(MessageApi.BUSINESS_TYPING, messages::businessTyping);
        routes.put(MediaApi.UPLOAD, media::upload);
        routes.put(TemplateApi.SEND, templateApi::send);
        routes.put(SubscribeApi.SEND, subscribe::send);
        routes.put(SubscribeApi.MINIPROGRAM_SEND, subscribe::send);
    }

    /** What {@link WeChatSandbox#reset} clears of WeChat's side (it says what stays). */
    void reset() {
        traffic.reset();
        windows.reset();
        businessTyping.reset();
        templates.reset();
        templateApi.reset();
        faults.reset();
        uploadFaults.reset();
        authorizers.clearFailures();
        issuer.lifetime(TokenIssuer.DEFAULT_LIFETIME);
    }
}
