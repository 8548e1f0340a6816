package dev.kefurelay.message;

import java.util.List;

/**
 * Checks a message before anything is sent, so that WeChat never sees a message we already know it
 * will refuse, and the sender learns which field to fix.
 */
public final class MessageValidator {

    private MessageValidator() {
    }

    public static void validate(KefuMessage m) {
        require(m.touser(), "touser");
        checkType(m.msgtype());
        if (m.content() == null) {
            throw new InvalidMessageException(m.msgtype() + " is missing: msgtype '" + m.msgtype()
                    + "' needs an object named '" + m.msgtype() + "'");
        }
        switch (m.msgtype()) {
            case "text" -> require(m.text().content(), "text.content");
            case "image" -> require(m.image().media_id(), "image.media_id");
            case "voice" -> require(m.voice().media_id(), "voice.media_id");
            case "mpnews" -> require(m.mpnews().media_id(), "mpnews.media_id");
            case "video" -> {
                require(m.video().media_id(), "video.media_id");
                require(m.video().thumb_media_id(), "video.thumb_media_id");
            }
            case "music" -> {
                require(m.music().musicurl(), "music.musicurl");
                require(m.music().hqmusicurl(), "music.hqmusicurl");
                require(m.music().thumb_media_id(), "music.thumb_media_id");
            }
            case "news" -> validateNews(m.news());
            case "mpnewsarticle" -> require(m.mpnewsarticle().article_id(), "mpnewsarticle.article_id");
            case "msgmenu" -> validateMenu(m.msgmenu());
            case "wxcard" -> require(m.wxcard().card_id(), "wxcard.card_id");
            case "miniprogrampage" -> {
                require(m.miniprogrampage().appid(), "miniprogrampage.appid");
                require(m.miniprogrampage().pagepath(), "miniprogrampage.pagepath");
                require(m.miniprogrampage().thumb_media_id(), "miniprogrampage.thumb_media_id");
            }
            default -> throw new IllegalStateException("type list and checks disagree on " + m.msgtype());
        }
        if (m.customservice() != null) {
            require(m.customservice().kf_account(), "customservice.kf_account");
        }
    }

    /** Checked on its own too, before the content is read: an unknown type explains an unknown field. */
    static void checkType(String msgtype) {
        require(msgtype, "msgtype");
        if (!KefuMessage.TYPES.contains(msgtype)) {
            throw new InvalidMessageException("msgtype '" + StrictJson.excerpt(msgtype) + "' is not one of "
                    + KefuMessage.TYPES);
        }
    }

    private static void validateNews(KefuMessage.News news) {
        List<KefuMessage.Article> articles = news.articles();
        if (articles == null || articles.isEmpty()) {
            throw new InvalidMessageException("news.articles is missing: news needs exactly one article");
        }
        // WeChat answers 45008 for more than one; refusing here keeps the error next to the input.
        if (articles.size() > 1) {
            throw new InvalidMessageException("news.articles has " + articles.size()
                    + " articles: WeChat takes exactly one (45008 otherwise)");
        }
        KefuMessage.Article a = articles.get(0);
        if (a == null) {
            throw new InvalidMessageException("news.articles[0] is missing");
        }
        require(a.title(), "news.articles[0].title");
        require(a.url(), "news.articles[0].url");
    }

    private static void validateMenu(KefuMessage.MsgMenu menu) {
        if (menu.list() == null || menu.list().isEmpty()) {
            throw new InvalidMessageException("msgmenu.list is missing: a menu needs at least one item");
        }
        for (int i = 0; i < menu.list().size(); i++) {
            KefuMessage.MenuItem item = menu.list().get(i);
            if (item == null) {
                throw new InvalidMessageException("msgmenu.list[" + i + "] is missing");
            }
            require(item.id(), "msgmenu.list[" + i + "].id");
            require(item.content(), "msgmenu.list[" + i + "].content");
        }
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidMessageException(field + " is missing");
        }
    }
}
