package dev.kefurelay.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The table of fields and the records Jackson maps onto must name the same fields: the records refuse what they do
 * not know (unknown field), the table says what is required, and a field in one but not the other would be either
 * refused although WeChat takes it, or never checked.
 */
class MessageFieldsTest {

    private static Set<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toSet());
    }

    private static Class<?> componentType(Class<?> record, String name) {
        return Arrays.stream(record.getRecordComponents()).filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(record.getSimpleName() + " has no " + name)).getType();
    }

    @Test
    void everyContentRecordHasExactlyTheFieldsOfItsType() {
        MessageFields.CONTENT.forEach((msgtype, fields) -> assertEquals(new HashSet<>(fields.all()),
                components(componentType(KefuMessage.class, msgtype)), msgtype));
    }

    @Test
    void theTopLevelHasEveryKindsMessageKeysAndOneObjectPerType() {
        Set<String> expected = Arrays.stream(AccountKind.values()).map(AccountKind::fields)
                .flatMap(k -> Stream.concat(k.message().all().stream(), k.types().stream()))
                .collect(Collectors.toSet());
        assertEquals(expected, components(KefuMessage.class));
        assertEquals(new HashSet<>(MessageFields.CUSTOMSERVICE.all()), components(KefuMessage.CustomService.class));
    }

    /**
     * The model holds every kind's fields of a type (a miniprogrampage's appid is an Official Account's only): each
     * kind's table names fields of the record, and together they name all of them.
     */
    @Test
    void eachKindsContentIsPartOfTheRecordAndTogetherTheyAreAllOfIt() {
        Set<String> types = Arrays.stream(AccountKind.values()).flatMap(k -> k.fields().types().stream())
                .collect(Collectors.toSet());
        for (String msgtype : types) {
            Set<String> union = new HashSet<>();
            for (AccountKind kind : AccountKind.values()) {
                MessageFields.Fields fields = kind.fields().content().get(msgtype);
                if (fields != null) {
                    Set<String> record = components(componentType(KefuMessage.class, msgtype));
                    assertTrue(record.containsAll(fields.all()), kind + " " + msgtype);
                    union.addAll(fields.all());
                }
            }
            assertEquals(components(componentType(KefuMessage.class, msgtype)), union, msgtype);
        }
    }

    @Test
    void aMiniProgramTakesFourTypesAndItsOwnTopLevelKeys() {
        assertEquals(List.of("text", "image", "link", "miniprogrampage"), AccountKind.MINIPROGRAM.fields().types());
        assertEquals(List.of("title", "description", "url", "thumb_url"),
                AccountKind.MINIPROGRAM.fields().content().get("link").required());
        assertEquals(List.of("title", "pagepath", "thumb_media_id"),
                AccountKind.MINIPROGRAM.fields().content().get("miniprogrampage").all());
        assertEquals(List.of("businessid", "aimsgcontext"), AccountKind.MINIPROGRAM.fields().message().optional());
        assertEquals(KefuMessage.TYPES, AccountKind.OFFICIAL.fields().types());
    }

    @Test
    void listEntriesMatchTheirRecords() {
        assertEquals(new HashSet<>(MessageFields.ARTICLE.all()), components(KefuMessage.Article.class));
        assertEquals(new HashSet<>(MessageFields.MENU_ITEM.all()), components(KefuMessage.MenuItem.class));
        assertEquals(MessageFields.ARTICLE, MessageFields.CONTENT.get("news").lists().get("articles").entry());
        assertEquals(MessageFields.MENU_ITEM, MessageFields.CONTENT.get("msgmenu").lists().get("list").entry());
    }

    @Test
    void theTypesAreWeChatsInItsOrder() {
        assertEquals(List.of("text", "image", "voice", "video", "music", "news", "mpnews", "mpnewsarticle", "msgmenu",
                "wxcard", "miniprogrampage"), KefuMessage.TYPES);
    }
}
