package dev.kefurelay.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void theTopLevelHasTheMessageKeysAndOneObjectPerType() {
        Set<String> expected = Stream.concat(MessageFields.MESSAGE.all().stream(), KefuMessage.TYPES.stream())
                .collect(Collectors.toSet());
        assertEquals(expected, components(KefuMessage.class));
        assertEquals(new HashSet<>(MessageFields.CUSTOMSERVICE.all()), components(KefuMessage.CustomService.class));
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
