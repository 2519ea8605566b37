package io.cachebus.client.internal.springcache;

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.util.ReflectionUtils;

/**
 * Turns a Spring cache key (a method's single argument, Spring's {@link SimpleKey} of several, or what a
 * {@code key} expression returned) into a text that is the same for equal keys in every JVM and every run, which an
 * entry in Redis must be found under.
 *
 * <p>Each part is written as its class name, its length and its text, so that no two different keys give one text
 * ({@code ("a,b")} and {@code ("a", "b")}, or {@code 1L} and {@code "1"}, stay apart). A part whose text is
 * {@code Object.toString()} (a class name and an identity hash, different in every JVM) is refused, as is an array:
 * either would make every node miss, or worse, two keys meet.
 */
final class StableKeys {

    private static final Field SIMPLE_KEY_PARAMS = simpleKeyParams();

    private StableKeys() {
    }

    /** @throws IllegalArgumentException for a key with no stable text, naming the part */
    static String of(Object key) {
        StringBuilder text = new StringBuilder();
        if (key instanceof SimpleKey simpleKey) {
            Object[] parts = (Object[]) ReflectionUtils.getField(SIMPLE_KEY_PARAMS, simpleKey);
            text.append('(');
            for (Object part : parts) {
                append(text, part, key);
            }
            text.append(')');
        } else {
            append(text, key, key);
        }
        return text.toString();
    }

    private static void append(StringBuilder text, Object part, Object key) {
        if (part == null) {
            text.append("null;");
            return;
        }
        Class<?> type = part.getClass();
        if (type.isArray()) {
            throw unstable(key, type, "an array");
        }
        text.append(type.getName());
        if (part instanceof Record record) {
            // a record's toString would do, but only if its parts' would: check them one by one
            text.append('{');
            for (RecordComponent component : type.getRecordComponents()) {
                append(text, ReflectionUtils.invokeMethod(accessible(component), record), key);
            }
            text.append('}');
            return;
        }
        String value = part instanceof Enum<?> constant ? constant.name() : part.toString();
        if (!(part instanceof Enum<?>) && declaresNoToString(type)) {
            throw unstable(key, type, "Object.toString(), which differs in every JVM");
        }
        text.append('#').append(value.length()).append(':').append(value).append(';');
    }

    private static java.lang.reflect.Method accessible(RecordComponent component) {
        java.lang.reflect.Method accessor = component.getAccessor();
        ReflectionUtils.makeAccessible(accessor);
        return accessor;
    }

    private static boolean declaresNoToString(Class<?> type) {
        try {
            return type.getMethod("toString").getDeclaringClass() == Object.class;
        } catch (NoSuchMethodException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static IllegalArgumentException unstable(Object key, Class<?> type, String why) {
        return new IllegalArgumentException("cache key " + key + " has a part of type " + type.getName()
                + " whose text is " + why + ": cachebus needs keys whose toString() is the same in every JVM "
                + "(strings, numbers, enums, UUIDs, dates, records of them, or a class that overrides toString()); use "
                + "a key expression such as key = \"#product.id\"");
    }

    private static Field simpleKeyParams() {
        Field field = ReflectionUtils.findField(SimpleKey.class, "params");
        if (field == null) {
            throw new IllegalStateException("this Spring version's SimpleKey has no 'params' field");
        }
        ReflectionUtils.makeAccessible(field);
        return field;
    }
}
