package dev.kefurelay.message;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Maps a parsed message onto {@link KefuMessage} when it already has the model's shape: each key a component, each
 * value a string, an object of a record, an array of such objects, a JSON object for an {@code ObjectNode}, or null.
 * Anything else gives null, and {@link MessageReader} asks Jackson's databind instead, whose failure names the field;
 * so this never accepts what Jackson refuses, and the errors stay Jackson's. Why not Jackson every time: its
 * property-based record creator was a third of the reading's samples on the benchmark, and more code for the JIT.
 */
final class ModelMapper {

    private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();

    private ModelMapper() {
    }

    /** The record of {@code type} the object holds, or null when Jackson should judge it. */
    static <T extends Record> T map(ObjectNode object, Class<T> type) {
        return type.cast(record(object, SHAPES.computeIfAbsent(type, Shape::of)));
    }

    private static Object record(JsonNode node, Shape shape) {
        if (!(node instanceof ObjectNode object)) {
            return null;
        }
        Object[] values = new Object[shape.kinds.length];
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            Integer i = shape.index.get(field.getKey());
            if (i == null) {
                return null;
            }
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            Object mapped = switch (shape.kinds[i]) {
                case STRING -> value.isTextual() ? value.textValue() : null;
                case TREE -> value instanceof ObjectNode o ? o.deepCopy() : null;
                case RECORD -> record(value, shape.nested[i]);
                case LIST -> list(value, shape.nested[i]);
            };
            if (mapped == null) {
                return null;
            }
            values[i] = mapped;
        }
        try {
            return shape.constructor.newInstance(values);
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot make a " + shape.constructor.getDeclaringClass().getSimpleName(), e);
        }
    }

    private static List<Object> list(JsonNode node, Shape entry) {
        if (!node.isArray()) {
            return null;
        }
        List<Object> entries = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            Object mapped = record(element, entry);
            if (mapped == null) {
                return null;
            }
            entries.add(mapped);
        }
        return entries;
    }

    private enum Kind { STRING, TREE, RECORD, LIST }

    /** A record's components as this mapper takes them, found once per class. */
    private record Shape(Map<String, Integer> index, Kind[] kinds, Shape[] nested, Constructor<?> constructor) {

        static Shape of(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Map<String, Integer> index = new HashMap<>();
            Kind[] kinds = new Kind[components.length];
            Shape[] nested = new Shape[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                Class<?> t = components[i].getType();
                types[i] = t;
                index.put(components[i].getName(), i);
                if (t == String.class) {
                    kinds[i] = Kind.STRING;
                } else if (t == ObjectNode.class) {
                    kinds[i] = Kind.TREE;
                } else if (t.isRecord()) {
                    kinds[i] = Kind.RECORD;
                    nested[i] = of(t);
                } else if (t == List.class && components[i].getGenericType() instanceof ParameterizedType p
                        && p.getActualTypeArguments()[0] instanceof Class<?> entry && entry.isRecord()) {
                    kinds[i] = Kind.LIST;
                    nested[i] = of(entry);
                } else {
                    throw new IllegalArgumentException(type.getSimpleName() + "." + components[i].getName()
                            + " is of a type this mapper does not take: " + components[i].getGenericType());
                }
            }
            try {
                return new Shape(Map.copyOf(index), kinds, nested, type.getDeclaredConstructor(types));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("a record always has its canonical constructor", e);
            }
        }
    }
}
