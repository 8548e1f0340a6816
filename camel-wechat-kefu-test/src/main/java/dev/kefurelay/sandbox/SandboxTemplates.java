package dev.kefurelay.sandbox;

import java.util.Arrays;

/**
 * The templates each account has added, for template/send ({@link #template}) and subscribe/bizsend
 * ({@link #subscribeTemplate}): a template id another account added, or none did, answers 40037. And the reports
 * WeChat pushes about template messages ({@code TEMPLATESENDJOBFINISH}).
 */
public final class SandboxTemplates {

    private final Templates templates;
    private final TemplateApi api;

    SandboxTemplates(Templates templates, TemplateApi api) {
        this.templates = templates;
        this.api = api;
    }

    /** The account adds a template message's template, whose {@code data} must have these keys (else 47003). */
    public SandboxTemplates template(String appid, String templateId, String... keys) {
        templates.template(appid, templateId, Arrays.asList(keys));
        return this;
    }

    /** The account adds a subscribe message's template, with its keys (thing1, time2, …), each needing a value. */
    public SandboxTemplates subscribeTemplate(String appid, String templateId, String... keys) {
        templates.subscribeTemplate(appid, templateId, Arrays.asList(keys));
        return this;
    }

    /**
     * After every accepted template message, once its answer is written, push {@code TEMPLATESENDJOBFINISH} with
     * status {@code success} to the sandbox's push target ({@link WeChatSandbox#pushTo}). Off by default.
     */
    public SandboxTemplates autoFinishJobs(boolean on) {
        api.autoFinish(on);
        return this;
    }

    /** Pushes {@code TEMPLATESENDJOBFINISH} for a template message sent here with this status (e.g. {@code failed:user block}). */
    public Pushes.Result finishJob(long msgid, String status) {
        return api.finish(msgid, status);
    }

    /**
     * A repeated {@code client_msg_id} within 10 minutes is answered with this errcode and the first msgid (e.g. 45065);
     * 0, the default, answers ok with the first msgid. Either way nothing is delivered twice. Reset between tests.
     */
    public SandboxTemplates duplicateAnswer(int errcode) {
        api.duplicateAnswer(errcode);
        return this;
    }
}
