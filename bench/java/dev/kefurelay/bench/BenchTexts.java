package dev.kefurelay.bench;

import java.util.List;

/**
 * The message set every system of the benchmark sends: text messages in Chinese with emoji, of several lengths,
 * each numbered, to 1,000 different users; message {@code i} is the same whichever system sends it. WxJava builds
 * its message object from {@link #touser} and {@link #content}; the JDK client posts {@link #wechatBody}; the
 * component and the relay take {@link #relayBody} (the same body with the envelope's {@code appid}).
 */
final class BenchTexts {

    /** No quote, backslash or control character: the bodies are written by plain concatenation. */
    private static final List<String> TEMPLATES = List.of(
            "您的订单 #%d 已发货 🚚，预计明天送达。",
            "您好 👋 客服小美为您服务，工单 %d 已受理，我们会在 24 小时内回复您。",
            "【提醒】会员积分 %d 分将于本月底过期 ⏰，请尽快兑换礼品 🎁。",
            "感谢您的耐心等待 🙏 退款申请 %d 已通过审核，款项将在 1-3 个工作日内原路退回，请留意银行卡到账信息。"
                    + "如有疑问，请直接回复本消息，我们的客服团队 7×24 小时在线 💬。",
            "🎉 恭喜！您在本次活动中获得了优惠券一张，编号 %d，满 199 减 30，有效期 7 天。",
            "亲，您咨询的商品 %d 目前有货 ✅ 颜色：雾霾蓝；尺码：M。下单后 48 小时内发货 📦。",
            "好的 👌 已为您备注：%d",
            "系统通知：您的账户于今日 10:32 在新设备上登录（编号 %d）。若非本人操作，请立即修改密码 🔒 并联系客服。");

    private BenchTexts() {
    }

    static int accountOf(int i, int accounts) {
        return i % accounts;
    }

    /** One of 1,000 openids (28 characters, as WeChat's are). */
    static String touser(int i) {
        return String.format("oBenchUser%018d", i % 1000);
    }

    static String content(int i) {
        return String.format(TEMPLATES.get(i % TEMPLATES.size()), i);
    }

    /** The body WeChat receives for message {@code i}. */
    static String wechatBody(int i) {
        return "{\"touser\":\"" + touser(i) + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"" + content(i) + "\"}}";
    }

    /** The body as the relay and the component take it: the account to send for in the envelope's appid. */
    static String relayBody(int i, List<String> appids) {
        return "{\"appid\":\"" + appids.get(accountOf(i, appids.size())) + "\"," + wechatBody(i).substring(1);
    }

    /** The relay's bodies of messages 0 to n-1, made when asked for. */
    static List<String> relayBodies(int n, List<String> appids) {
        return new RelayBenchmark.Lazy(n, i -> relayBody(i, appids));
    }
}
