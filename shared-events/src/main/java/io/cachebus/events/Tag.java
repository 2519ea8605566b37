package io.cachebus.events;

/**
 * Derived data that a mutation also invalidates, written {@code domain:name} (e.g. {@code workflows:steps},
 * {@code notifications:unread-count}). Its keys live under {@code tenant:{tid}:{domain}:{name}:}, inside the
 * domain's prefix, so invalidating the domain always covers its derived data too.
 */
public record Tag(String domain, String name) {

    public Tag {
        Names.require("tag.domain", domain);
        Names.require("tag.name", name);
    }

    /** Parses {@code domain:name}; the error names {@code field}. */
    public static Tag parse(String field, String text) {
        if (text == null) {
            throw new InvalidNameException(field, "must not be empty");
        }
        int colon = text.indexOf(':');
        if (colon < 0 || colon != text.lastIndexOf(':')) {
            throw new InvalidNameException(field, "must be written domain:name");
        }
        try {
            return new Tag(text.substring(0, colon), text.substring(colon + 1));
        } catch (InvalidNameException e) {
            throw new InvalidNameException(field, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return domain + ":" + name;
    }
}
